;; i32 arithmetic: constant operands as immediates, a folded constant expression, shifts.
(module
  (func (export "add_const") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 42)))
  (func (export "folded") (result i32)
    (i32.mul (i32.add (i32.const 3) (i32.const 4)) (i32.const 6)))
  (func (export "mix") (param i32 i32) (result i32)
    (i32.xor
      (i32.shl (local.get 0) (i32.const 3))
      (i32.and (i32.sub (local.get 1) (local.get 0)) (i32.const 0xff)))))
