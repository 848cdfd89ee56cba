;; A library-style module with a foreign import nothing defines (preloaded as `lib` by the
;; preload_main.wat tests, with --trap-unknown-imports / --default-values-unknown-imports).
(module
  (import "host" "log" (func $log (param i32)))
  (import "host" "seed" (func $seed (result i32)))
  (func (export "twice") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "logged_twice") (param i32) (result i32)
    (call $log (local.get 0))
    (i32.add (call $seed) (i32.mul (local.get 0) (i32.const 2)))))
