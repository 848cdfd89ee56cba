;; [wasm3] A fault in memory 2, a 64-bit memory, of a module with three memories.
(module
  (memory $a 1)
  (memory $b 1)
  (memory $c i64 3)
  (func $store (param i64) (i64.store $c offset=8 (local.get 0) (i64.const 1)))
  (func (export "_start") (call $store (i64.const 0x2fffc))))
