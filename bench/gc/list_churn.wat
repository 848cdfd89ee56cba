;; [wasmgc] #18: linked-list churn with a growing live set. run(n), twice over: a live list
;; grows to n nodes (node i holds i); for every node added, a short list of 8 nodes is built,
;; summed and dropped (garbage); then the live list is walked and summed, and dropped before
;; the second round. With n = 3 million the live set reaches 3 million nodes while 24 million
;; nodes of garbage are made around it: a collector that runs too often as the live set grows
;; (a fixed trigger) spends its time re-marking the live list. Returns the sum of every value
;; read.
(module
  (type $node (struct (field $next (ref null $node)) (field $v i64)))

  (func (export "run") (param $n i32) (result i64)
    (local $round i32) (local $i i32) (local $j i32) (local $sum i64)
    (local $live (ref null $node)) (local $tmp (ref null $node)) (local $p (ref null $node))
    (loop $rounds
      (local.set $live (ref.null $node))
      (local.set $i (i32.const 0))
      (loop $grow
        (local.set $live
          (struct.new $node (local.get $live) (i64.extend_i32_u (local.get $i))))
        ;; garbage: 8 nodes, summed through the list
        (local.set $tmp (ref.null $node))
        (local.set $j (i32.const 0))
        (loop $short
          (local.set $tmp
            (struct.new $node (local.get $tmp)
              (i64.extend_i32_u (i32.add (local.get $i) (local.get $j)))))
          (br_if $short (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                                  (i32.const 8))))
        (block $done
          (loop $walk
            (br_if $done (ref.is_null (local.get $tmp)))
            (local.set $sum (i64.add (local.get $sum) (struct.get $node $v (local.get $tmp))))
            (local.set $tmp (struct.get $node $next (local.get $tmp)))
            (br $walk)))
        (br_if $grow (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                               (local.get $n))))
      ;; walk the live list
      (local.set $p (local.get $live))
      (block $done
        (loop $walk
          (local.set $sum (i64.add (local.get $sum)
                                   (struct.get $node $v (br_on_null $done (local.get $p)))))
          (local.set $p (struct.get $node $next (local.get $p)))
          (br $walk)))
      (br_if $rounds (i32.lt_u (local.tee $round (i32.add (local.get $round) (i32.const 1)))
                               (i32.const 2))))
    (local.get $sum)))
