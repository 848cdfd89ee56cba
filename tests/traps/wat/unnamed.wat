;; No name section entries: frames are "<wasm function N>".
(module
  (func unreachable)
  (func (export "_start") (call 0)))
