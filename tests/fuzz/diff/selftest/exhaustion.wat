;; Unbounded recursion: both engines exhaust their stacks (at different depths); the exports
;; after it are not compared (the state may differ).
;; expect-verdict: agree
;; expect-reason: stack exhausted on both
;; expect-line: exhausted
(module
  (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
  (global $depth (mut i32) (i32.const 0))
  (func $rec (export "recurse") (param i64 f64) (result i64)
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    (i64.add (call $rec (local.get 0) (local.get 1)) (i64.const 1)))
  (func (export "through-host") (result i32) (call $catch (i32.const 1)))
  (func (export "depth") (result i32) (global.get $depth))
)
