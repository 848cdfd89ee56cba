;; A loop whose body runs inside a handler scope that never catches anything, against the same
;; loop without it (issue 17: "a try-heavy loop that never throws runs as fast as the same loop
;; without try"). Used by bench/wasm3/run.sh; every export takes n and returns a checksum, and
;; the variants of one body return the same value.
;; The try_table variants are in try_loop_exnref.wat (wabt 1.0.32 and node 20 do not read
;; try_table); this file is the legacy encoding, which node 20 runs.
;;   plain_call / legacy_call / block_call / block_br_call (and try_table_call): the body calls
;;     $work (a call site inside the scope, as in C++ code calling functions inside try);
;;   plain_arith / legacy_arith / block_arith / block_br_arith (and try_table_arith): arithmetic
;;     only, no call.
;; The block_* variants wrap the body in a plain block, the block_br_* ones in a block that a
;; never-taken br_if leaves.
(module
  (tag $e)
  (func $work (param i32) (result i32)
    (i32.rotl (i32.mul (local.get 0) (i32.const 0x9e3779b1)) (i32.const 15)))

  (func (export "plain_call") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                               (call $work (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "legacy_call") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (try
        (do (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                     (call $work (local.get $i)))))
        (catch $e))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "block_call") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block
        (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                 (call $work (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "plain_arith") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                               (i32.mul (local.get $i) (i32.const 0x9e3779b1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "legacy_arith") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (try
        (do (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                     (i32.mul (local.get $i) (i32.const 0x9e3779b1)))))
        (catch $e))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "block_arith") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block
        (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                 (i32.mul (local.get $i) (i32.const 0x9e3779b1)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))

  ;; block_br_*: a block that a br_if (never taken for n >= 1) leaves: a forward label with a
  ;; branch to it, like the catch path's label of a try (see docs/benchmarks.md).
  (func (export "block_br_call") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                 (call $work (local.get $i))))
        (br_if $h (i32.eqz (local.get $n))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "block_br_arith") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                 (i32.mul (local.get $i) (i32.const 0x9e3779b1))))
        (br_if $h (i32.eqz (local.get $n))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
)
