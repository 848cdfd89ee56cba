;; Throw-and-catch benchmark, legacy encoding (try/catch): node 20 (V8 11.3) runs it.
;; $f1 throws tag $e with an i32 payload; $fK calls $f(K-1), so calling $fK from inside the
;; handler's scope unwinds K frames. Used by bench/wasm3/run.sh.
(module
  (tag $e (param i32))
  (func $f1 (param i32) (throw $e (local.get 0)))
  (func $f2 (param i32) (call $f1 (i32.add (local.get 0) (i32.const 1))))
  (func $f3 (param i32) (call $f2 (i32.add (local.get 0) (i32.const 1))))
  (func $f4 (param i32) (call $f3 (i32.add (local.get 0) (i32.const 1))))
  (func $f5 (param i32) (call $f4 (i32.add (local.get 0) (i32.const 1))))
  (func $f6 (param i32) (call $f5 (i32.add (local.get 0) (i32.const 1))))
  (func $f7 (param i32) (call $f6 (i32.add (local.get 0) (i32.const 1))))
  (func $f8 (param i32) (call $f7 (i32.add (local.get 0) (i32.const 1))))
  (func $f9 (param i32) (call $f8 (i32.add (local.get 0) (i32.const 1))))
  (func $f10 (param i32) (call $f9 (i32.add (local.get 0) (i32.const 1))))
  (func $f11 (param i32) (call $f10 (i32.add (local.get 0) (i32.const 1))))
  (func $f12 (param i32) (call $f11 (i32.add (local.get 0) (i32.const 1))))
  (func $f13 (param i32) (call $f12 (i32.add (local.get 0) (i32.const 1))))
  (func $f14 (param i32) (call $f13 (i32.add (local.get 0) (i32.const 1))))
  (func $f15 (param i32) (call $f14 (i32.add (local.get 0) (i32.const 1))))
  (func $f16 (param i32) (call $f15 (i32.add (local.get 0) (i32.const 1))))
  (func $f17 (param i32) (call $f16 (i32.add (local.get 0) (i32.const 1))))
  (func $f18 (param i32) (call $f17 (i32.add (local.get 0) (i32.const 1))))
  (func $f19 (param i32) (call $f18 (i32.add (local.get 0) (i32.const 1))))
  (func $f20 (param i32) (call $f19 (i32.add (local.get 0) (i32.const 1))))
  ;; throw1(n): n times, throw 1 frame(s) below the handler; returns the sum of the payloads.
  (func (export "throw1") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (try
          (do (call $f1 (local.get $i)))
          (catch $e (local.set $acc (i32.add (local.get $acc)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc))
  ;; throw20(n): n times, throw 20 frame(s) below the handler; returns the sum of the payloads.
  (func (export "throw20") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (try
          (do (call $f20 (local.get $i)))
          (catch $e (local.set $acc (i32.add (local.get $acc)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc))
)
