;; [wasm3] A fault in memory 1 of a multi-memory module: the report names the memory and gives
;; the wasm address within it (was: no memory fault line, only memory 0 was looked up).
(module
  (memory $m0 1)
  (memory $m1 2)
  (func $load (param i32) (result i32) (i32.load $m1 offset=16 (local.get 0)))
  (func (export "_start") (drop (call $load (i32.const 0x20000)))))
