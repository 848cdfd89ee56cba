;; An out-of-bounds load faults in the guard region: the report gives the wasm address.
(module
  (memory 1)
  (func $load (param i32) (result i32) (i32.load offset=16 (local.get 0)))
  (func (export "_start") (drop (call $load (i32.const 0x10000)))))
