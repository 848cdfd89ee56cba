;; Integer division and remainder: divide-by-zero and overflow trap stubs, the rem -1 case.
(module
  (func (export "div_s") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32)
    (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "div_u64") (param i64 i64) (result i64)
    (i64.div_u (local.get 0) (local.get 1)))
  (func (export "div_by_const") (param i32) (result i32)
    (i32.div_u (local.get 0) (i32.const 10))))
