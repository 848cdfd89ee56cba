;; 10^8 objects of cyclic garbage: each round builds a doubly linked list of 100 nodes
;; (every node points to its neighbours both ways) and drops it.
(module
  (type $node (sub (struct (field $prev (mut (ref null $node))) (field $next (mut (ref null $node))) (field $v (mut i64)))))
  (func (export "run") (param $rounds i32) (result i64)
    (local $r i32) (local $i i32) (local $head (ref null $node)) (local $n (ref null $node)) (local $sum i64)
    (loop $outer
      (local.set $head (struct.new $node (ref.null $node) (ref.null $node) (i64.const 0)))
      (local.set $i (i32.const 1))
      (loop $inner
        (local.set $n (struct.new $node (ref.null $node) (local.get $head) (i64.extend_i32_u (local.get $i))))
        (struct.set $node $prev (local.get $head) (local.get $n))
        (local.set $head (local.get $n))
        (br_if $inner (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
      (local.set $sum (i64.add (local.get $sum) (struct.get $node $v (local.get $head))))
      (br_if $outer (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rounds))))
    (local.get $sum)))
