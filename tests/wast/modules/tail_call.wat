;; Valid (tail calls are in the 3.0 preset) but the JIT does not compile tail calls yet: `compile`
;; must refuse it as `run` does.
(module
  (func $f (export "f") (result i32)
    (return_call $f)))
