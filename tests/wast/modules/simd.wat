;; Valid (SIMD is in the 3.0 preset) but the JIT does not compile SIMD yet: `compile` must refuse
;; it as `run` does.
(module
  (func (export "splat") (result i32)
    (i32x4.extract_lane 0 (i32x4.splat (i32.const 7)))))
