;; [wasm3] Initial content for run.sh's "multimem" set (binaryen's -ttf --initial-fuzz): the
;; fuzzer keeps these functions (mutating their constants), adds its own random code around
;; them and exports them, so the harness calls them with its three argument sets. binaryen 132's
;; generator only ever uses memory 0 itself: memories 1-3 are exercised here. $m2 is a 64-bit
;; memory (memory64 with multi-memory), $m3 starts empty (every access traps until it grows).
(module
  (memory $m0 1 2)
  (memory $m1 1 4)
  (memory $m2 i64 1 3)
  (memory $m3 0 1)
  (data (memory $m1) (i32.const 16) "memory one \01\02\03\04\05\06\07\08")
  (data (memory $m2) (i64.const 65000) "\ff\fe\fd\fc\fb\fa\f9\f8 memory two (64-bit), near its end")
  (data $passive "passive segment \de\ad\be\ef")

  ;; Every width on memories 1 and 2, with offsets; an address near the end traps.
  (func $mm_widths (export "mm_widths") (param $a i32) (param $v i64) (result i64)
    (local $b i64)
    (local.set $b (i64.extend_i32_u (i32.and (local.get $a) (i32.const 0x1ffff))))
    (i64.store $m1 offset=8 (i32.and (local.get $a) (i32.const 0xffff)) (local.get $v))
    (i32.store16 $m2 offset=3 (local.get $b) (i32.wrap_i64 (local.get $v)))
    (i64.store32 $m2 (i64.add (local.get $b) (i64.const 7)) (local.get $v))
    (f64.store $m1 offset=100 (i32.and (local.get $a) (i32.const 0x7ff)) (f64.convert_i64_s (local.get $v)))
    (i64.add
      (i64.add
        (i64.load $m1 offset=8 (i32.and (local.get $a) (i32.const 0xffff)))
        (i64.load8_s $m2 offset=3 (local.get $b)))
      (i64.add
        (i64.load32_u $m2 (i64.add (local.get $b) (i64.const 7)))
        (i64.extend_i32_s (i32.load16_s $m1 offset=17 (i32.const 16))))))

  ;; Sizes and growth of each memory (memory 2 counts in i64, memory 3 has max 1).
  (func $mm_grow (export "mm_grow") (param $n i32) (result i64)
    (local $r i64)
    (local.set $r (i64.extend_i32_s (memory.grow $m1 (i32.and (local.get $n) (i32.const 3)))))
    (local.set $r (i64.add (i64.shl (local.get $r) (i64.const 8))
                           (memory.grow $m2 (i64.extend_i32_u (i32.and (local.get $n) (i32.const 1))))))
    (local.set $r (i64.add (i64.shl (local.get $r) (i64.const 8))
                           (i64.extend_i32_s (memory.grow $m3 (i32.and (local.get $n) (i32.const 1))))))
    (i64.add (i64.shl (local.get $r) (i64.const 16))
      (i64.add (i64.extend_i32_u (i32.add (memory.size $m1) (memory.size $m3)))
               (memory.size $m2))))

  ;; Bulk operations between memories (copy in both directions, fill, init, drop; binaryen 132
;; cannot copy between memories of different address types).
  (func $mm_bulk (export "mm_bulk") (param $d i32) (param $s i32) (param $n i32) (result i32)
    (memory.copy $m1 $m0 (i32.and (local.get $d) (i32.const 0xffff))
                         (i32.and (local.get $s) (i32.const 0xffff))
                         (i32.and (local.get $n) (i32.const 0xff)))
    (memory.copy $m0 $m1 (i32.and (local.get $s) (i32.const 0x1ffff))
                         (i32.const 16) (i32.and (local.get $n) (i32.const 0x3f)))
    (memory.copy $m2 $m2 (i64.extend_i32_u (i32.and (local.get $s) (i32.const 0x1ffff)))
                         (i64.const 65000) (i64.extend_i32_u (i32.and (local.get $n) (i32.const 0x3f))))
    (memory.fill $m2 (i64.const 64990) (i32.const 0x5a) (i64.extend_i32_u (i32.and (local.get $n) (i32.const 0x3f))))
    (memory.init $m1 $passive (i32.and (local.get $d) (i32.const 0x1ffff)) (i32.const 2)
                 (i32.and (local.get $n) (i32.const 7)))
    (memory.copy $m1 $m1 (i32.const 1) (i32.const 16) (i32.const 24))
    (i32.add (i32.load $m1 (i32.const 1))
             (i32.add (i32.load $m2 (i64.const 64992)) (i32.load $m0 (i32.const 4)))))

  (func $mm_drop (export "mm_drop") (data.drop $passive))

  ;; A loop summing memory 1 into memory 2 (values kept in registers across accesses to both).
  (func $mm_loop (export "mm_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $n (i32.and (local.get $n) (i32.const 255)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.load8_u $m1 offset=16 (local.get $i))))
      (i32.store8 $m2 offset=1000 (i64.extend_i32_u (local.get $i)) (local.get $acc))
      (i32.store $m0 offset=2000 (i32.shl (local.get $i) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (local.get $acc) (i32.load $m2 offset=1000 (i64.const 0))))

  ;; Memory 3: traps while empty, works after mm_grow grew it.
  (func $mm_empty (export "mm_empty") (param $a i32) (result i32)
    (i32.store8 $m3 (local.get $a) (i32.const 7))
    (i32.load8_u $m3 (local.get $a)))
)
