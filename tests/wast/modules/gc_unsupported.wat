;; Valid (GC is in the 3.0 preset) but the JIT does not compile GC instructions: `compile` must
;; refuse it as `run` does. (tail_call.wat played this part until tail calls were compiled.)
(module
  (func $f (export "f") (result i32)
    (i31.get_s (ref.i31 (i32.const 1)))))
