;; Exceptions (decoded and validated; not run by the JIT yet).
(module
  (tag $e (param i32))
  (func (export "throw") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (i32.const 42)))
      (i32.const 0))))
