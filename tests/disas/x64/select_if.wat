;; select, and an if/else block with two results (multi-value).
(module
  (func (export "max") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
  (func (export "swap_if") (param i32 i32 i32) (result i32 i32)
    (if (result i32 i32) (local.get 2)
      (then (local.get 1) (local.get 0))
      (else (local.get 0) (local.get 1)))))
