;; Float comparisons fused with br_if / if: ucomisd + jcc, the parity flag for eq/ne.
(module
  ;; Iterations until |z|^2 > 4 (a mandelbrot-style escape loop, f64.le + br_if).
  (func (export "escape") (param $cr f64) (param $ci f64) (result i32)
    (local $x f64) (local $y f64) (local $t f64) (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $n) (i32.const 100)))
        (local.set $t (f64.add (f64.sub (f64.mul (local.get $x) (local.get $x))
                                        (f64.mul (local.get $y) (local.get $y)))
                               (local.get $cr)))
        (local.set $y (f64.add (f64.mul (f64.const 2) (f64.mul (local.get $x) (local.get $y)))
                               (local.get $ci)))
        (local.set $x (local.get $t))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br_if $next (f64.le (f64.add (f64.mul (local.get $x) (local.get $x))
                                      (f64.mul (local.get $y) (local.get $y)))
                             (f64.const 4)))))
    (local.get $n))
  ;; eq / ne consumed by if (both need the parity flag).
  (func (export "same") (param f32 f32) (result i32)
    (if (result i32) (f32.eq (local.get 0) (local.get 1))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "differ") (param f64 f64) (result i32)
    (if (result i32) (f64.ne (local.get 0) (local.get 1))
      (then (i32.const 1)) (else (i32.const 0)))))
