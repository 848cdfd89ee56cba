;; [wasm3] A fault in a 64-bit memory: an i64 load at the end (address == size) passes the bound
;; check (address <= size) and faults in the guard; the report gives its wasm address.
(module
  (memory i64 1)
  (func $load (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "_start") (drop (call $load (i64.const 0x10000)))))
