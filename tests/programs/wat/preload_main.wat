;; Imports `lib` (see preload_lib.wat).
(module
  (import "lib" "double" (func $double (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (call $double (local.get 0))))
