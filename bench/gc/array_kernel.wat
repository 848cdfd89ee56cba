;; [wasmgc] #18: an array-heavy kernel. run(n):
;;  - a sieve of Eratosthenes over an (array (mut i8)) of n * 64 flags (array.fill, then
;;    array.get_u / array.set), counting the primes;
;;  - a matrix of n rows of n f64 (an array of references to (array (mut f64))), multiplied
;;    with a vector 16 times; each product is a new array (garbage), scaled back into the
;;    vector; between rounds the vector is rotated by one with two array.copy (one overlapping)
;;    into a scratch array made with array.new and refilled with array.fill;
;;  - an (array (mut i32)) prefix sum, doubled in place with array.copy, summed.
;; Returns the prime count plus the final vector and prefix sums as integers.
(module
  (type $bytes (array (mut i8)))
  (type $f64s (array (mut f64)))
  (type $i32s (array (mut i32)))
  (type $rows (array (mut (ref null $f64s))))

  (func $sieve (param $m i32) (result i64)
    (local $flags (ref $bytes)) (local $i i32) (local $j i32) (local $count i64)
    (local.set $flags (array.new_default $bytes (local.get $m)))
    (array.fill $bytes (local.get $flags) (i32.const 2) (i32.const 1)
                (i32.sub (local.get $m) (i32.const 2)))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $flags))))
        (if (array.get_u $bytes (local.get $flags) (local.get $i))
          (then
            (local.set $count (i64.add (local.get $count) (i64.const 1)))
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $marked
              (loop $mark
                (br_if $marked (i32.ge_u (local.get $j) (local.get $m)))
                (br_if $marked (i32.gt_u (local.get $i) (i32.const 46340)))
                (array.set $bytes (local.get $flags) (local.get $j) (i32.const 0))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $mark)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count))

  (func $matrix (param $n i32) (result (ref $rows))
    (local $m (ref $rows)) (local $row (ref $f64s)) (local $i i32) (local $j i32)
    (local.set $m (array.new_default $rows (local.get $n)))
    (loop $rows
      (local.set $row (array.new_default $f64s (local.get $n)))
      (local.set $j (i32.const 0))
      (loop $cols
        (array.set $f64s (local.get $row) (local.get $j)
          (f64.convert_i32_u
            (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 31)) (local.get $j))
                       (i32.const 17))))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                               (local.get $n))))
      (array.set $rows (local.get $m) (local.get $i) (local.get $row))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $m))

  ;; y = m x (a new array)
  (func $mul (param $m (ref $rows)) (param $x (ref $f64s)) (result (ref $f64s))
    (local $y (ref $f64s)) (local $row (ref $f64s)) (local $i i32) (local $j i32) (local $n i32)
    (local $acc f64)
    (local.set $n (array.len (local.get $m)))
    (local.set $y (array.new $f64s (f64.const 0) (local.get $n)))
    (loop $rows
      (local.set $row (ref.as_non_null (array.get $rows (local.get $m) (local.get $i))))
      (local.set $acc (f64.const 0))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $acc
          (f64.add (local.get $acc)
            (f64.mul (array.get $f64s (local.get $row) (local.get $j))
                     (array.get $f64s (local.get $x) (local.get $j)))))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1)))
                               (array.len (local.get $row)))))
      (array.set $f64s (local.get $y) (local.get $i) (local.get $acc))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    (local.get $y))

  (func $prefix (param $n i32) (result i64)
    (local $a (ref $i32s)) (local $i i32) (local $sum i64)
    (local.set $a (array.new_default $i32s (i32.mul (local.get $n) (i32.const 2))))
    (local.set $i (i32.const 1))
    (loop $fill
      (array.set $i32s (local.get $a) (local.get $i)
        (i32.add (array.get $i32s (local.get $a) (i32.sub (local.get $i) (i32.const 1)))
                 (i32.and (local.get $i) (i32.const 7))))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    ;; the second half is a copy of the first
    (array.copy $i32s $i32s (local.get $a) (local.get $n) (local.get $a) (i32.const 0)
                (local.get $n))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u (array.get $i32s (local.get $a) (local.get $i)))))
      (br_if $sum (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                            (array.len (local.get $a)))))
    (local.get $sum))

  (func (export "run") (param $n i32) (result i64)
    (local $m (ref $rows)) (local $x (ref $f64s)) (local $y (ref $f64s))
    (local $scratch (ref $f64s)) (local $round i32) (local $i i32) (local $max f64)
    (local $sum i64) (local $rep i32)
    (local.set $sum (call $sieve (i32.mul (local.get $n) (i32.const 64))))
    (local.set $m (call $matrix (local.get $n)))
    (local.set $x (array.new $f64s (f64.const 1) (local.get $n)))
    (loop $rounds
      (local.set $y (call $mul (local.get $m) (local.get $x)))
      ;; x = y / max(y)
      (local.set $max (f64.const 1))
      (local.set $i (i32.const 0))
      (loop $find
        (local.set $max (f64.max (local.get $max) (array.get $f64s (local.get $y) (local.get $i))))
        (br_if $find (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                               (local.get $n))))
      (local.set $i (i32.const 0))
      (loop $scale
        (array.set $f64s (local.get $x) (local.get $i)
          (f64.div (array.get $f64s (local.get $y) (local.get $i)) (local.get $max)))
        (br_if $scale (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                (local.get $n))))
      ;; rotate x by one through a scratch array: copy, overlapping copy, fill
      (local.set $scratch (array.new $f64s (f64.const 0) (local.get $n)))
      (array.copy $f64s $f64s (local.get $scratch) (i32.const 0) (local.get $x) (i32.const 0)
                  (local.get $n))
      (array.copy $f64s $f64s (local.get $x) (i32.const 1) (local.get $x) (i32.const 0)
                  (i32.sub (local.get $n) (i32.const 1)))
      (array.set $f64s (local.get $x) (i32.const 0)
        (array.get $f64s (local.get $scratch) (i32.sub (local.get $n) (i32.const 1))))
      (array.fill $f64s (local.get $scratch) (i32.const 0) (f64.const 0.5) (local.get $n))
      (br_if $rounds (i32.lt_u (local.tee $round (i32.add (local.get $round) (i32.const 1)))
                               (i32.const 16))))
    (local.set $i (i32.const 0))
    (loop $sumx
      (local.set $sum (i64.add (local.get $sum)
        (i64.trunc_sat_f64_s (f64.mul (array.get $f64s (local.get $x) (local.get $i))
                                      (f64.const 1e6)))))
      (br_if $sumx (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $n))))
    ;; prefix sums, a few times (each a fresh array)
    (loop $reps
      (local.set $sum (i64.add (local.get $sum) (call $prefix (i32.mul (local.get $n) (i32.const 16)))))
      (br_if $reps (i32.lt_u (local.tee $rep (i32.add (local.get $rep) (i32.const 1)))
                             (i32.const 8))))
    (local.get $sum)))
