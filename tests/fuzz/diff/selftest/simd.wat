;; v128 values between wasm and the hosts: log-v128 (V8 gets it through a wasm helper), v128
;; globals (read through a helper in V8), exports with v128 in their signature (called at the
;; top level through a wasm wrapper in V8; call-export of one is an exception on both sides, as
;; V8's TypeError).
;; expect-verdict: agree
;; expect-line: log v128:0x00000004000000030000000200000001
;; expect-line: log v128:0x0000000c00000000bff0000000000000
;; expect-line: globals v128:0x000000060000000500000004ffffffff i32:0
;; expect-line: result i32:1
;; expect-line: result i32:0 v128:0x00000000000000000000000000000000 f64:0x3ff8000000000000
;; expect-line: result i32:1 v128:0xfffffffffffffffe0000000000000000 f64:0x3ff8000000000000
(module
  (import "fuzzing-support" "log-v128" (func $log (param v128)))
  (import "fuzzing-support" "log-i32" (func $log_i32 (param i32)))
  (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
  (global $v (mut v128) (v128.const i32x4 0 0 0 0))
  (global $n (mut i32) (i32.const 0))
  (memory 1)
  (func (export "log") (call $log (v128.const i32x4 1 2 3 4)))
  (func (export "arith") (param i32 f32) (result i32)
    (local $x v128)
    (local.set $x (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 0 5 6 7)))
    (global.set $v (local.get $x))
    (call $log (f32x4.replace_lane 1 (i32x4.mul (local.get $x) (v128.const i32x4 0 0 0 2))
                                    (f32.const -1.875)))
    (v128.store (i32.const 16) (local.get $x))
    (i32x4.extract_lane 3 (local.get $x)))
  (func (export "v128-result") (result v128)
    (global.set $n (i32.const 1))
    (global.get $v))
  ;; Export 2 is "v128-result": calling it from the host is an exception (1), and it does not
  ;; run (the global keeps 2).
  (func (export "call-v128") (result i32)
    (global.set $n (i32.const 2))
    (call $catch (i32.const 2)))
  (func (export "mix") (param v128 i64 v128) (result i32 v128 f64)
    (i32x4.extract_lane 2 (local.get 0))
    (i64x2.add (local.get 2) (i64x2.splat (local.get 1)))
    (f64.const 1.5))
  (func (export "bitmask") (result i32)
    (i8x16.bitmask (v128.load (i32.const 16))))
)
