;; `wtrun wast --fuel N` / `--timeout D` (docs/traps-limits.md): each command runs with the
;; whole budget and a fresh timeout; a command that runs out fails, the script goes on.
;; Not in cases/: without --fuel or --timeout the spinning commands never end.
(module $m
  (memory 256)  ;; 16 MiB
  (global $iters (export "iters") (mut i32) (i32.const 0))
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $i))
  ;; Fills of the whole memory until $count of them are done (each fill costs 262144 fuel).
  (func (export "fills") (param $count i32) (result i32)
    (loop $l
      (memory.fill (i32.const 0) (i32.const 7) (i32.const 0x1000000))
      (global.set $iters (i32.add (global.get $iters) (i32.const 1)))
      (br_if $l (i32.lt_u (global.get $iters) (local.get $count))))
    (global.get $iters)))
(assert_return (invoke "count" (i32.const 1000)) (i32.const 1000))
(invoke "spin")  ;; fails: out of fuel / interrupted
(assert_return (invoke "count" (i32.const 1000)) (i32.const 1000))  ;; a whole budget again
(assert_exhaustion (invoke "spin") "call stack exhausted")  ;; fails with the actual trap
(assert_trap (invoke "fills" (i32.const 100000000)) "all fuel consumed")
(assert_return (get "iters") (i32.const 0))  ;; with --fuel, not one fill could be paid for
(module (func $s (loop $l (br $l))) (start $s))  ;; the start function spins: fails
(assert_return (invoke $m "count" (i32.const 5)) (i32.const 5))
