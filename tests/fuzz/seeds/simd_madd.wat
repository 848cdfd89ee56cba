;; Relaxed madd/nmadd, fused only with FMA: the simd_isa target runs this module at both ISA
;; caps without comparing them.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\80\3f\01\00\80\3f\00\00\c0\7f\00\00\80\ff\01\00\80\3f\00\00\80\bf")
  (func (export "madd") (result v128)
    (f32x4.relaxed_madd (v128.load (i32.const 0)) (v128.load (i32.const 4))
      (v128.load (i32.const 8))))
  (func (export "nmadd") (result v128)
    (f64x2.relaxed_nmadd (v128.load (i32.const 0)) (v128.load (i32.const 4))
      (v128.load (i32.const 8)))))
