;; A counting loop with br_if (fused compare-and-branch) and a local accumulator.
(module
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $top
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $top (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $s)))
