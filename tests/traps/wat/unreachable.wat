;; wasm `unreachable` through three named functions.
(module
  (func $inner unreachable)
  (func $middle (call $inner))
  (func (export "_start") (call $middle)))
