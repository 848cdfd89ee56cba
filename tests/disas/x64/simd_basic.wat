;; v128 basics (pinned ISA: .sse41.expected and .avx2.expected): constants (zero, all ones,
;; pool entries shared by two uses), loads and stores (register and constant addresses, lane
;; and splat forms), a constant splat folded, a v128 local cached in a loop (x = x op y and
;; x = y op x computed in x's register), select, and a call with v128 arguments and results.
(module
  (memory 1)
  (func $consts (export "consts") (param i32)
    (v128.store (local.get 0) (v128.const i32x4 0 0 0 0))
    (v128.store offset=16 (local.get 0) (v128.const i32x4 -1 -1 -1 -1))
    (v128.store offset=32 (local.get 0) (v128.const i32x4 1 2 3 4))
    (v128.store offset=48 (local.get 0) (v128.const i32x4 1 2 3 4))
    (v128.store offset=64 (local.get 0) (i32x4.splat (i32.const 7))))
  (func $loads (export "loads") (param i32) (result v128)
    (v128.store offset=100 (i32.const 16) (v128.load (local.get 0)))
    (v128.store (local.get 0) (v128.load64_splat offset=8 (local.get 0)))
    (v128.store32_lane 3 (local.get 0) (v128.load8x8_s (i32.const 64)))
    (v128.load16_lane offset=2 5 (local.get 0) (v128.load32_zero (local.get 0))))
  (func $sum (export "sum") (param $p i32) (param $n i32) (result v128)
    (local $acc v128)
    (loop $l
      (local.set $acc (i32x4.add (local.get $acc) (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func $sum_rhs (export "sum_rhs") (param $p i32) (param $n i32) (result v128)
    (local $acc v128)
    (loop $l
      (local.set $acc (i32x4.add (v128.load (local.get $p)) (local.get $acc)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func $pick (export "pick") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func $pair (param i32 v128 i64 v128) (result v128 i32 v128)
    (local.get 3) (local.get 0) (local.get 1))
  (func $call (export "call") (param v128) (result v128)
    (local $t v128)
    (call $pair (i32.const 1) (local.get 0) (i64.const 2) (v128.const i64x2 5 6))
    (local.set $t)
    drop
    (i64x2.add (local.get $t))))
