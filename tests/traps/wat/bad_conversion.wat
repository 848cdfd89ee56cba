(module
  (func $truncate (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "_start") (drop (call $truncate (f64.const nan)))))
