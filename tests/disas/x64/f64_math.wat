;; f64 arithmetic, sqrt, a constant, min (NaN/zero handling) and a conversion.
(module
  (func (export "hypot") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0))
                       (f64.mul (local.get 1) (local.get 1)))))
  (func (export "scale") (param f64) (result f64)
    (f64.mul (local.get 0) (f64.const 3.141592653589793)))
  (func (export "min") (param f64 f64) (result f64)
    (f64.min (local.get 0) (local.get 1)))
  (func (export "trunc_sat") (param f64) (result i32)
    (i32.trunc_sat_f64_s (local.get 0))))
