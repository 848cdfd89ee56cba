;; What the spec makes bit-exact for NaNs (abs, neg, copysign, loads and stores, reinterpret,
;; locals, globals, select, block and call results) is compared bit for bit: run.sh counts a
;; mismatch that disappears under --denan as a NaN-payload difference, so these must agree
;; here exactly.
;; expect-verdict: agree
;; expect-line: log i32:2139095841
;; expect-line: log i32:-7394782
;; expect-line: log i64:-2251799813619711
(module
  (import "fuzzing-support" "log-i32" (func $log32 (param i32)))
  (import "fuzzing-support" "log-i64" (func $log64 (param i64)))
  (memory 1)
  (global $g32 (mut f32) (f32.const nan:0x1234))
  (global $g64 (mut f64) (f64.const -nan:0x8000000000001))
  (func $id32 (param f32) (result f32) (local.get 0))
  (func $id64 (param f64) (result f64) (local.get 0))
  (func (export "f32") (local $x f32)
    (local.set $x (f32.const nan:0x321)) ;; a signalling NaN: no arithmetic may touch it
    (call $log32 (i32.reinterpret_f32 (local.get $x)))
    (call $log32 (i32.reinterpret_f32 (f32.abs (f32.const -nan:0x1234))))
    (call $log32 (i32.reinterpret_f32 (f32.neg (f32.const nan:0x7a5a22))))
    (call $log32 (i32.reinterpret_f32 (f32.neg (local.get $x))))
    (call $log32 (i32.reinterpret_f32 (f32.copysign (f32.const nan:0x55) (f32.const -1))))
    (call $log32 (i32.reinterpret_f32 (f32.copysign (local.get $x) (f32.const -nan:0x1))))
    (call $log32 (i32.reinterpret_f32 (global.get $g32)))
    (global.set $g32 (f32.neg (global.get $g32)))
    (call $log32 (i32.reinterpret_f32 (global.get $g32)))
    (f32.store (i32.const 16) (local.get $x))
    (call $log32 (i32.load (i32.const 16)))
    (call $log32 (i32.reinterpret_f32 (f32.load (i32.const 16))))
    (i32.store (i32.const 20) (i32.const 0xff8f2a22))
    (call $log32 (i32.reinterpret_f32 (f32.load (i32.const 20))))
    (call $log32 (i32.reinterpret_f32 (call $id32 (f32.reinterpret_i32 (i32.const 0x7fc3ff22)))))
    (call $log32 (i32.reinterpret_f32
      (select (f32.const nan:0x2) (f32.const 0) (i32.load (i32.const 16)))))
    (call $log32 (i32.reinterpret_f32 (block (result f32) (f32.const -nan:0x3)))))
  (func (export "f64") (local $x f64)
    (local.set $x (f64.const nan:0x4321)) ;; signalling
    (call $log64 (i64.reinterpret_f64 (local.get $x)))
    (call $log64 (i64.reinterpret_f64 (f64.abs (global.get $g64))))
    (call $log64 (i64.reinterpret_f64 (f64.neg (local.get $x))))
    (call $log64 (i64.reinterpret_f64 (f64.copysign (local.get $x) (f64.const -0))))
    (call $log64 (i64.reinterpret_f64 (global.get $g64)))
    (f64.store offset=3 (i32.const 40) (local.get $x))
    (call $log64 (i64.load offset=3 (i32.const 40)))
    (call $log64 (i64.reinterpret_f64 (call $id64 (f64.reinterpret_i64 (i64.const -2251799813619711)))))
    (call $log64 (i64.reinterpret_f64
      (select (result f64) (f64.const -nan:0x5) (f64.const 1) (i32.const 1)))))
)
