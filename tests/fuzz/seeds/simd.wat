;; SIMD seed for the run and simd_isa targets: exports without parameters that run the ops
;; whose lowerings differ most between SSE4.1 and AVX/AVX2 (shuffles, i64 compares, shifts by
;; a variable count, float min/max and conversions with NaN and edge lanes, relaxed ops),
;; leaving results in v128 returns, globals and memory. No relaxed madd/nmadd (see
;; simd_madd.wat): the simd_isa target compares this module's two runs.
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 0 0 0 0))
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\80\7f\ff\fe\10\20\30\40")
  (data (i32.const 64) "\00\00\c0\7f\00\00\80\ff\00\00\00\4f\00\00\80\4f")
  (func (export "shuffle") (result v128)
    (i8x16.shuffle 0 17 2 19 4 21 6 23 31 30 29 28 3 3 3 3
      (v128.load (i32.const 0)) (v128.load (i32.const 8))))
  (func (export "swizzle") (result v128)
    (i8x16.swizzle (v128.load (i32.const 0)) (v128.load (i32.const 4))))
  (func (export "relaxed_swizzle") (result v128)
    (i8x16.relaxed_swizzle (v128.load (i32.const 0)) (v128.load (i32.const 4))))
  (func (export "i64_compare") (result v128)
    (i64x2.gt_s (v128.load (i32.const 0)) (v128.load (i32.const 16))))
  (func (export "shifts") (result v128)
    (local $n i32) (local $v v128)
    (local.set $v (v128.load (i32.const 0)))
    (loop $l
      (local.set $v (i64x2.shr_s (i8x16.shl (local.get $v) (local.get $n)) (local.get $n)))
      (local.set $n (i32.add (local.get $n) (i32.const 3)))
      (br_if $l (i32.lt_u (local.get $n) (i32.const 70))))
    (local.get $v))
  (func (export "float_edges") (result v128)
    (local $x v128)
    (local.set $x (v128.load (i32.const 64)))
    (global.set $g (f32x4.min (local.get $x) (f32x4.neg (local.get $x))))
    (v128.store (i32.const 128) (i32x4.trunc_sat_f32x4_u (local.get $x)))
    (v128.store (i32.const 144) (i32x4.relaxed_trunc_f32x4_u (local.get $x)))
    (v128.store (i32.const 160) (f32x4.relaxed_max (local.get $x) (global.get $g)))
    (f32x4.convert_i32x4_u (i32x4.relaxed_trunc_f32x4_s (local.get $x))))
  (func (export "dot") (result v128)
    (i32x4.relaxed_dot_i8x16_i7x16_add_s (v128.load (i32.const 0)) (v128.load (i32.const 8))
      (v128.load (i32.const 16))))
  (func (export "laneselect") (result v128)
    (i16x8.relaxed_laneselect (v128.load (i32.const 0)) (v128.load (i32.const 4))
      (v128.load (i32.const 8))))
  (func (export "bitmask") (result i32)
    (i32.add (i8x16.bitmask (v128.load (i32.const 0)))
      (i32x4.all_true (v128.load (i32.const 3))))))
