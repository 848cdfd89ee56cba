;; [wasm3] tail calls (docs/tail-calls.md), for the CLI tests:
;; - `ping N`: N mutual tail calls between two signatures with the same stack-argument area
;;   (10^8 run in a 64 KiB wasm stack: the tail-called frame replaces its caller).
;; - `main`: main calls $middle, which tail-calls $leaf, which traps: the backtrace shows leaf
;;   then main ($middle's frame was replaced, as wasmtime shows it).
;; - `grow N`: N mutual tail calls between a 1-slot and a 3-slot signature (the tail call to the
;;   larger one goes through an adapter frame, built once and reused: constant stack too).
;; - `main2`: as `main`, through an adapter ($middle2 tail-calls a function with more params):
;;   the backtrace is leaf2, main2 (the adapter frame is left out).
(module
  (func $ping (export "ping") (param i64 f64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.trunc_f64_s (local.get 1)))
      (else (return_call $pong (i32.wrap_i64 (local.get 0)) (i64.sub (local.get 0) (i64.const 1))))))
  (func $pong (param i32 i64) (result i64)
    (return_call $ping (local.get 1) (f64.convert_i32_u (local.get 0))))
  (func $leaf (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $middle (param i32 i32) (result i32)
    (return_call $leaf (local.get 1)))
  (func $main (export "main") (result i32)
    (i32.add (call $middle (i32.const 1) (i32.const 0)) (i32.const 1)))
  (func $grow (export "grow") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 7))
      (else (return_call $grow3 (local.get 0) (i64.const 1) (i32.const 2)))))
  (func $grow3 (param i64 i64 i32) (result i64)
    (return_call $grow (i64.sub (local.get 0) (local.get 1))))
  (func $leaf2 (param i32 i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1)))
  (func $middle2 (param i32) (result i32)
    (return_call $leaf2 (local.get 0) (i32.const 0) (i32.const 0)))
  (func $main2 (export "main2") (result i32)
    (i32.add (call $middle2 (i32.const 1)) (i32.const 1)))
)
