;; Reference types, multi-value and recursion.
(module
  (type $sig (func (param i32) (result i32 i32)))
  (table $t 3 funcref)
  (elem declare func $pair)
  (func $pair (type $sig) (local.get 0) (i32.const 2))
  (func (export "pair") (result i32 i32) (call $pair (i32.const 1)))
  (func (export "ref") (result i32)
    (table.set $t (i32.const 1) (ref.func $pair))
    (ref.is_null (table.get $t (i32.const 2))))
  (func $tail (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $tail (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "tail") (result i32) (call $tail (i32.const 1000))))
