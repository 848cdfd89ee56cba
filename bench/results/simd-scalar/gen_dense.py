#!/usr/bin/env python3
"""gen_dense.py MODE FUNCS STMTS: a WAT module of FUNCS functions, each a loop of STMTS
statements `local.set $d (OP (local.get $a) (local.get $b))` over 8 locals, with a load and a
store every 8 statements; MODE=simd: v128 locals and SIMD ops (integer/float arithmetic,
bitwise, compares, shuffles, swizzle, extract/replace_lane, bitselect, conversions);
MODE=scalar: the same shape with i64 locals and scalar ops (f64.add through reinterpret). Deterministic (seeded). Used for compile speed
(docs/performance.md, "SIMD session: scalar code unchanged"):
  python3 gen_dense.py simd 1000 200 >dense_simd.wat && wat2wasm dense_simd.wat  # 2.28 MB code
  python3 gen_dense.py scalar 1000 200 >dense_scalar.wat && wat2wasm dense_scalar.wat  # 1.87 MB"""
import random, sys
mode, funcs, stmts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(14)
if mode == "simd":
    T = "v128"
    bin_ops = ["i8x16.add", "i16x8.sub", "i32x4.add", "i64x2.add", "i16x8.mul", "i32x4.mul",
               "i64x2.mul", "v128.and", "v128.or", "v128.xor", "v128.andnot", "i8x16.eq",
               "i16x8.gt_s", "i32x4.lt_u", "i8x16.min_u", "i16x8.max_s", "i8x16.avgr_u",
               "i16x8.add_sat_s", "i8x16.narrow_i16x8_u", "i32x4.dot_i16x8_s",
               "f32x4.add", "f32x4.mul", "f32x4.min", "f64x2.add", "f64x2.mul", "f64x2.div",
               "f32x4.lt", "i8x16.swizzle", "i16x8.extmul_low_i8x16_s",
               "i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31",
               "i8x16.shuffle 16 1 2 3 17 5 6 7 18 9 10 11 19 13 14 15"]
    un_ops = ["i8x16.abs", "i32x4.neg", "i8x16.popcnt", "f32x4.sqrt", "f32x4.abs",
              "i16x8.extend_low_i8x16_u", "i32x4.trunc_sat_f32x4_s", "f32x4.convert_i32x4_s",
              "v128.not"]
    shift_ops = ["i32x4.shl", "i16x8.shr_s", "i64x2.shr_u", "i8x16.shl"]
    def stmt(a, b, c):
        r = rng.random()
        if r < 0.6: return f"({rng.choice(bin_ops)} (local.get {a}) (local.get {b}))"
        if r < 0.75: return f"({rng.choice(un_ops)} (local.get {a}))"
        if r < 0.85: return f"({rng.choice(shift_ops)} (local.get {a}) (i32.const {rng.randrange(1, 8)}))"
        if r < 0.92: return f"(i32x4.replace_lane {rng.randrange(4)} (local.get {a}) (i32x4.extract_lane {rng.randrange(4)} (local.get {b})))"
        return f"(v128.bitselect (local.get {a}) (local.get {b}) (local.get {c}))"
    load, store, zero = "v128.load", "v128.store", "(v128.const i64x2 0 0)"
else:
    T = "i64"
    bin_ops = ["i64.add", "i64.sub", "i64.mul", "i64.and", "i64.or", "i64.xor", "i64.shl",
               "i64.shr_s", "i64.rotl", "i64.div_u"]
    un_ops = ["i64.clz", "i64.popcnt", "i64.extend32_s", "i64.ctz"]
    def stmt(a, b, c):
        r = rng.random()
        if r < 0.6: return f"({rng.choice(bin_ops)} (local.get {a}) (local.get {b}))"
        if r < 0.75: return f"({rng.choice(un_ops)} (local.get {a}))"
        if r < 0.85: return f"(i64.shr_u (local.get {a}) (i64.const {rng.randrange(1, 8)}))"
        if r < 0.92: return f"(i64.reinterpret_f64 (f64.add (f64.reinterpret_i64 (local.get {a})) (f64.reinterpret_i64 (local.get {b}))))"
        return f"(select (local.get {a}) (local.get {b}) (i64.eqz (local.get {c})))"
    load, store, zero = "i64.load", "i64.store", "(i64.const 0)"
out = ["(module", "  (memory 1)"]
for f in range(funcs):
    out.append(f"  (func (export \"f{f}\") (param $n i32) (param $p0 {T}) (param $p1 {T}) (result {T})")
    out.append("    " + " ".join(f"(local $l{i} {T})" for i in range(6)))
    out.append("    (loop $top")
    vs = ["$p0", "$p1"] + [f"$l{i}" for i in range(6)]
    for s in range(stmts):
        a, b, c, d = (rng.choice(vs) for _ in range(4))
        if s % 8 == 7:
            out.append(f"      ({store} offset={16 * rng.randrange(64)} (i32.and (local.get $n) (i32.const 1008)) (local.get {a}))")
            out.append(f"      (local.set {d} ({load} offset={16 * rng.randrange(64)} (i32.and (local.get $n) (i32.const 2032))))")
        else:
            out.append(f"      (local.set {d} {stmt(a, b, c)})")
    out.append("      (br_if $top (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))")
    out.append(f"    (local.get $l0))")
out.append(")")
print("\n".join(out))
