;; v128.any_true / i*x*.all_true fused with br_if / if (Masm::BranchSimd): ptest + jcc with no
;; i32 materialized, in both branch senses (br_if to a loop: taken when true, or under i32.eqz
;; when false; if: skips to the else when false); the unfused forms (returned, under i32.eqz
;; not followed by a branch, under select) for contrast.
(module
  (memory 1)
  (func (export "scan") (param i32) (result i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 16)))
      (br_if $l (i32.eqz (v128.any_true (i8x16.eq (v128.load (local.get 0))
                                                   (v128.const i64x2 0 0))))))
    (local.get 0))
  (func (export "find") (param i32) (result i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 16)))
      (br_if $l (v128.any_true (v128.load (local.get 0)))))
    (local.get 0))
  (func (export "if_all") (param v128) (result i32)
    (if (result i32) (i16x8.all_true (local.get 0))
      (then (i32.const 1)) (else (i32.const 2))))
  (func (export "if_any_carry") (param v128 i32) (result i32)
    (local.get 1)
    (if (param i32) (result i32) (v128.any_true (local.get 0))
      (then (i32.const 1) (i32.add))))
  (func (export "unfused") (param v128) (result i32)
    (i32.add (i32.eqz (i64x2.all_true (local.get 0)))
             (select (i32.const 3) (i32.const 4) (i8x16.all_true (local.get 0))))))
