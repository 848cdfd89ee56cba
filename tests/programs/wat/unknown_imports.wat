;; Imports nothing defines: --trap-unknown-imports / --default-values-unknown-imports.
(module
  (import "env" "missing_f" (func $f (param i32) (result i32)))
  (import "env" "missing_g" (func $g (result i64 f64 externref)))
  (func (export "sum") (result i32)
    (call $g) (drop) (drop) (drop)
    (call $f (i32.const 3)))
  (func (export "unused") (result i32) (i32.const 5)))
