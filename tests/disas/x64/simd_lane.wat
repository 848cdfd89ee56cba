;; Lane, shuffle and reduction forms worth pinning, at SSE4.1 and AVX2: splats from registers,
;; extract/replace lane, shuffle patterns (pshufd form, unpack, palignr, blend, generic two
;; pshufb), swizzle, bitmask, any_true/all_true (+ br_if), bitselect.
(module
  (func (export "splats") (param i32 i64 f32 f64) (result v128)
    (i8x16.splat (local.get 0)) (i16x8.splat (local.get 0)) i8x16.add
    (i32x4.splat (local.get 0)) i8x16.add (i64x2.splat (local.get 1)) i8x16.add
    (f32x4.splat (local.get 2)) i8x16.add (f64x2.splat (local.get 3)) i8x16.add)
  (func (export "extract") (param v128) (result i32)
    (i8x16.extract_lane_s 5 (local.get 0)) (i16x8.extract_lane_u 7 (local.get 0)) i32.add
    (i32x4.extract_lane 0 (local.get 0)) i32.add
    (i32.wrap_i64 (i64x2.extract_lane 1 (local.get 0))) i32.add
    (i32.trunc_sat_f32_s (f32x4.extract_lane 3 (local.get 0))) i32.add
    (i32.trunc_sat_f64_s (f64x2.extract_lane 1 (local.get 0))) i32.add)
  (func (export "replace") (param v128 i32 i64 f32 f64) (result v128)
    (i8x16.replace_lane 15 (local.get 0) (local.get 1))
    (i16x8.replace_lane 1 (local.get 1))
    (i32x4.replace_lane 2 (local.get 1))
    (i64x2.replace_lane 1 (local.get 2))
    (f32x4.replace_lane 3 (local.get 3))
    (f64x2.replace_lane 0 (local.get 4)))
  (func (export "shuffle_pshufd") (param v128 v128) (result v128)
    (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3 (local.get 0) (local.get 1)))
  (func (export "shuffle_unpack") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 0) (local.get 1)))
  (func (export "shuffle_palignr") (param v128 v128) (result v128)
    (i8x16.shuffle 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 (local.get 0) (local.get 1)))
  (func (export "shuffle_dwords") (param v128 v128) (result v128)
    (i8x16.shuffle 0 1 2 3 20 21 22 23 8 9 10 11 28 29 30 31 (local.get 0) (local.get 1)))
  (func (export "shuffle_generic") (param v128 v128) (result v128)
    (i8x16.shuffle 1 17 0 31 9 3 22 5 15 14 2 18 27 4 6 25 (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.swizzle (local.get 0) (local.get 1)))
  (func (export "bitmask") (param v128) (result i32)
    (i8x16.bitmask (local.get 0)) (i16x8.bitmask (local.get 0)) i32.add
    (i32x4.bitmask (local.get 0)) i32.add (i64x2.bitmask (local.get 0)) i32.add)
  (func (export "all_true_br_if") (param v128) (result i32)
    (block (br_if 0 (i32x4.all_true (local.get 0))) (return (i32.const 1)))
    (block (br_if 0 (v128.any_true (local.get 0))) (return (i32.const 2)))
    (i64x2.all_true (local.get 0)))
  (func (export "bitselect") (param v128 v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (local.get 2))))
