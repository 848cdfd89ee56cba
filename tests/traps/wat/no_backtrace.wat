;; args: --no-backtrace
(module
  (func $inner unreachable)
  (func (export "_start") (call $inner)))
