;; Valid (threads are in the 3.0 preset's decoder) but the JIT does not compile atomic
;; instructions: `compile` must refuse it as `run` does. (tail_call.wat, then gc_unsupported.wat
;; played this part until tail calls and GC were compiled.)
(module
  (memory 1)
  (func $f (export "f") (result i32)
    (i32.atomic.load (i32.const 0))))
