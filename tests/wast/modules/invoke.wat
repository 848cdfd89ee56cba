;; Exports for the `wtrun --invoke` CLI tests.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "fdiv") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "fneg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "two") (result i32 f32) (i32.const -1) (f32.const 1.5))
  (func (export "none"))
  (func (export "trap") (unreachable))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "null") (result funcref) (ref.null func))
  ;; Recursion as deep as the argument: 10 million ends in "call stack exhausted".
  (func $deep (export "deep") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (i64.add (call $deep (i64.sub (local.get 0) (i64.const 1))) (i64.const 1)))))
  (memory (export "memory") 1)
)
