;; memory.fill out of bounds: the runtime builtin traps (no fault address).
(module
  (memory 1)
  (func $fill (memory.fill (i32.const 0xfff0) (i32.const 0) (i32.const 0x20)))
  (func (export "_start") (call $fill)))
