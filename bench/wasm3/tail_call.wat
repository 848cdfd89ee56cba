;; A tail-call loop against the same loop written with br (issue 17). Used by bench/wasm3/run.sh;
;; every export takes n (i64) and returns sum(1..n) (mod 2^64).
;;   tail_self:   $tc return_calls itself (in place: same signature);
;;   tail_mutual: $ta and $tb return_call each other (in place: same signature);
;;   tail_grow:   $g2 (2 params) and $g3 (3 params) return_call each other: the larger
;;                argument area goes through an adapter frame (docs/tail-calls.md);
;;   br_loop:     the same computation as a loop with br_if.
(module
  (func $tc (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $tc (i64.sub (local.get $n) (i64.const 1))
                     (i64.add (local.get $acc) (local.get $n))))
  (func (export "tail_self") (param i64) (result i64)
    (call $tc (local.get 0) (i64.const 0)))

  (func $ta (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $tb (i64.sub (local.get $n) (i64.const 1))
                     (i64.add (local.get $acc) (local.get $n))))
  (func $tb (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $ta (i64.sub (local.get $n) (i64.const 1))
                     (i64.add (local.get $acc) (local.get $n))))
  (func (export "tail_mutual") (param i64) (result i64)
    (call $ta (local.get 0) (i64.const 0)))

  (func $g2 (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $g3 (i64.sub (local.get $n) (i64.const 1))
                     (i64.add (local.get $acc) (local.get $n)) (i32.const 7)))
  (func $g3 (param $n i64) (param $acc i64) (param $pad i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $g2 (i64.sub (local.get $n) (i64.const 1))
                     (i64.add (local.get $acc) (local.get $n))))
  (func (export "tail_grow") (param i64) (result i64)
    (call $g2 (local.get 0) (i64.const 0)))

  (func (export "br_loop") (param $n i64) (result i64) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
    (local.get $acc))
)
