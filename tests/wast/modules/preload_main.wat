;; Imports from the preloaded preload_lib.wat (`--preload lib=preload_lib.wat`).
(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "logged_twice" (func $logged_twice (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (call $twice (local.get 0)))
  (func (export "logged_twice") (param i32) (result i32) (call $logged_twice (local.get 0))))
