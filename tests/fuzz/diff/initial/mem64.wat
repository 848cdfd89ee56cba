;; [wasm3] Initial content for run.sh's "mem64" set (binaryen's -ttf --initial-fuzz): a 64-bit
;; memory with a 32-bit table. binaryen 132 gives a memory64 module a 64-bit table of its own,
;; which node 20's V8 (11.3) cannot compile; with this table in place the fuzzer keeps it, and V8
;; runs the module (memory64 behind --experimental-wasm-memory64). The functions are kept
;; (their constants mutated) and exported: addresses and offsets past 4 GiB, the i64 forms of
;; memory.size / grow / fill / copy, every access width.
(module
  (memory $m i64 16 17)
  (table $t 10 funcref)
  (data (memory $m) (i64.const 1048570) "\01\02\03\04\05\06\07\08\09\0a")

  ;; An address from an i64 parameter: in bounds, past the end, past 4 GiB (never wraps).
  (func $m64_load (export "m64_load") (param $a i64) (result i64)
    (i64.add
      (i64.add (i64.load8_u (i64.and (local.get $a) (i64.const 0x1fffff)))
               (i64.load16_s offset=1 (i64.and (local.get $a) (i64.const 0x10fffff))))
      (i64.add (i64.load32_u offset=65536 (i64.shr_u (local.get $a) (i64.const 32)))
               (i64.load (i64.and (local.get $a) (i64.const 0xfffff))))))

  ;; Stores with offsets beyond 4 GiB (always out of bounds) and near the end of the memory.
  (func $m64_store (export "m64_store") (param $a i64) (param $v i32)
    (i32.store8 offset=1048575 (i64.and (local.get $a) (i64.const 1)) (local.get $v))
    (i32.store offset=1048572 (i64.and (local.get $a) (i64.const 7)) (local.get $v))
    (if (i32.eqz (i32.and (local.get $v) (i32.const 1)))
      (then (i64.store offset=4294967296 (i64.const 0) (i64.const 1)))))

  ;; memory.size and memory.grow in pages (i64), and memory.fill / copy with i64 lengths.
  (func $m64_bulk (export "m64_bulk") (param $n i64) (result i64)
    (local $g i64)
    (local.set $g (memory.grow (i64.and (local.get $n) (i64.const 3))))
    (memory.fill (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 32))
                 (i32.const 0xab) (i64.and (local.get $n) (i64.const 63)))
    (memory.copy (i64.const 100) (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 40))
                 (i64.and (local.get $n) (i64.const 63)))
    (i64.add (i64.shl (local.get $g) (i64.const 32))
             (i64.add (memory.size) (i64.load (i64.const 100)))))
)
