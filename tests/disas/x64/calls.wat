;; A direct call, a call to an import and a call_indirect (type check, null and bounds traps).
(module
  (type $ii (func (param i32) (result i32)))
  (import "env" "host" (func $host (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $inc $host)
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func (export "direct") (param i32) (result i32)
    (call $inc (local.get 0)))
  (func (export "imported") (param i32) (result i32)
    (call $host (local.get 0)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (type $ii) (local.get 0) (local.get 1))))
