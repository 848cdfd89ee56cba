;; assert_return: exact integer and float bits, NaN patterns, references, multiple results,
;; either, globals.
(module
  (func (export "i32.add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "i64.mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "f32.neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "f64.add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "f32.div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "f64.sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "f32.id") (param f32) (result f32) (local.get 0))
  (func (export "f64.id") (param f64) (result f64) (local.get 0))
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "three") (result i32 f32 f64) (i32.const -1) (f32.const -0) (f64.const 0x1p-1074))
  (func (export "nothing"))
  (func $f (export "func") (result funcref) (ref.func $f))
  (func (export "null.func") (result funcref) (ref.null func))
  (func (export "extern.id") (param externref) (result externref) (local.get 0))
  (func (export "extern.is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (global (export "g.i32") i32 (i32.const 42))
  (global (export "g.f64") f64 (f64.const -1.5))
  (global $m (export "g.mut") (mut i64) (i64.const 1))
  (func (export "bump") (global.set $m (i64.add (global.get $m) (i64.const 1))))
)

(assert_return (invoke "i32.add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "i32.add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "i32.add" (i32.const -1) (i32.const -1)) (i32.const -2))
(assert_return (invoke "i64.mul" (i64.const 0x100000000) (i64.const 0x100000000)) (i64.const 0))
(assert_return (invoke "i64.mul" (i64.const -3) (i64.const 5)) (i64.const -15))

;; Floats compare by bits: signed zeros and NaN payloads are exact.
(assert_return (invoke "f32.neg" (f32.const 0)) (f32.const -0))
(assert_return (invoke "f32.neg" (f32.const -0)) (f32.const 0))
(assert_return (invoke "f32.neg" (f32.const nan:0x123)) (f32.const -nan:0x123))
(assert_return (invoke "f32.id" (f32.const -nan:0x7fffff)) (f32.const -nan:0x7fffff))
(assert_return (invoke "f64.id" (f64.const nan:0x1)) (f64.const nan:0x1))
(assert_return (invoke "f64.add" (f64.const 0.1) (f64.const 0.2)) (f64.const 0x1.3333333333334p-2))
(assert_return (invoke "f64.add" (f64.const inf) (f64.const -1)) (f64.const inf))

;; NaN patterns.
(assert_return (invoke "f32.div" (f32.const 0) (f32.const 0)) (f32.const nan:canonical))
(assert_return (invoke "f32.div" (f32.const 0) (f32.const 0)) (f32.const nan:arithmetic))
(assert_return (invoke "f32.div" (f32.const nan:0x200000) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "f64.sqrt" (f64.const -1)) (f64.const nan:canonical))
(assert_return (invoke "f64.add" (f64.const -nan:0x8000000000001) (f64.const 1)) (f64.const nan:arithmetic))

;; Multiple results and none.
(assert_return (invoke "swap" (i32.const 1) (i64.const 2)) (i64.const 2) (i32.const 1))
(assert_return (invoke "three") (i32.const 0xffffffff) (f32.const -0) (f64.const 4.9406564584124654e-324))
(assert_return (invoke "nothing"))
(invoke "nothing")

;; References.
(assert_return (invoke "func") (ref.func))
(assert_return (invoke "null.func") (ref.null func))
(assert_return (invoke "null.func") (ref.null))
(assert_return (invoke "extern.id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "extern.id" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "extern.id" (ref.extern 2)) (ref.extern))
(assert_return (invoke "extern.id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "extern.is_null" (ref.extern 3)) (i32.const 0))
(assert_return (invoke "extern.is_null" (ref.null extern)) (i32.const 1))

;; either.
(assert_return (invoke "i32.add" (i32.const 1) (i32.const 1)) (either (i32.const 3) (i32.const 2)))
(assert_return (invoke "f32.div" (f32.const 1) (f32.const 0))
  (either (f32.const nan:canonical) (f32.const inf)))

;; Globals, also after a function changed one.
(assert_return (get "g.i32") (i32.const 42))
(assert_return (get "g.f64") (f64.const -1.5))
(assert_return (get "g.mut") (i64.const 1))
(invoke "bump")
(invoke "bump")
(assert_return (get "g.mut") (i64.const 3))
