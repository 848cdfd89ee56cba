;; [wasmgc] #18: binary trees as in the benchmarks game. run(max_depth): a stretch tree of depth
;; max_depth + 1 is built, checked and dropped; a long-lived tree of depth max_depth stays
;; live while, for each depth d = 4, 6, ..., max_depth, 2^(max_depth - d + 4) trees of depth d
;; are built, checked and dropped. Returns the sum of every check (nodes counted), so every
;; tree must have been built whole. The issue asks for max_depth >= 20 (run.sh passes 20).
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  (func $bottom_up (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new_default $node))
      (else
        (struct.new $node
          (call $bottom_up (i32.sub (local.get $d) (i32.const 1)))
          (call $bottom_up (i32.sub (local.get $d) (i32.const 1)))))))

  ;; The number of nodes of the tree (a leaf has no children).
  (func $check (param $t (ref $node)) (result i64)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $left (local.get $t)))
    (if (result i64) (ref.is_null (local.get $l))
      (then (i64.const 1))
      (else
        (i64.add (i64.const 1)
          (i64.add (call $check (ref.as_non_null (local.get $l)))
                   (call $check (ref.as_non_null (struct.get $node $right (local.get $t)))))))))

  (func (export "run") (param $max i32) (result i64)
    (local $sum i64) (local $long (ref null $node)) (local $d i32) (local $iters i32)
    (local $i i32)
    (if (i32.lt_s (local.get $max) (i32.const 6)) (then (local.set $max (i32.const 6))))
    ;; stretch tree
    (local.set $sum (call $check (call $bottom_up (i32.add (local.get $max) (i32.const 1)))))
    (local.set $long (call $bottom_up (local.get $max)))
    (local.set $d (i32.const 4))
    (loop $depths
      (local.set $iters
        (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
      (local.set $i (i32.const 0))
      (loop $trees
        (local.set $sum (i64.add (local.get $sum) (call $check (call $bottom_up (local.get $d)))))
        (br_if $trees (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                (local.get $iters))))
      (br_if $depths (i32.le_s (local.tee $d (i32.add (local.get $d) (i32.const 2)))
                               (local.get $max))))
    (i64.add (local.get $sum) (call $check (ref.as_non_null (local.get $long))))))
