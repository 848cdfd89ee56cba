(module
  (type $v (func))
  (type $i (func (result i32)))
  (table funcref (elem $answer))
  (func $answer (result i32) (i32.const 42))
  (func $dispatch (param i32) (call_indirect (type $v) (local.get 0)))
  (func (export "_start") (call $dispatch (i32.const 0))))
