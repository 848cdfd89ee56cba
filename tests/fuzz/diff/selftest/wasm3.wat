;; [wasm3] Features node 20's V8 runs as wtrun does: tail calls (direct and indirect, a million
;; deep), a 64-bit memory (addresses past 4 GiB, i64 memory.grow / size), an extended constant
;; expression, legacy exceptions (try / catch / catch_all / delegate / rethrow) and an
;; exception that leaves the export (V8: "exception", wtrun: "exception" and the tag), and one
;; that crosses the host's call-export (rethrown into the caller's try / caught by -catch).
;; expect-verdict: agree
;; expect-line: result i32:1
;; expect-line: result i32:142
;; expect-line: result i32:9
;; expect-line: result i32:7
;; expect-line: result i32:1
(module
  (import "fuzzing-support" "log-i64" (func $logl (param i64)))
  (import "fuzzing-support" "call-export" (func $call_export (param i32 i32)))
  (import "fuzzing-support" "call-export-catch" (func $call_export_catch (param i32) (result i32)))
  (type $t (func (param i64) (result i32)))
  (memory i64 1 3)
  (table 2 funcref)
  (elem (i32.const 0) $even $odd)
  (tag $e (param i32))
  (global $g i32 (i32.add (i32.const 40) (i32.mul (i32.const 2) (i32.const 1))))

  (func $even (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
  (func $odd (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
  (func (export "tail") (result i32) (call $even (i64.const 1000000)))

  (func (export "mem64") (param $a i64) (result i64)
    (i64.store offset=8 (i64.and (local.get $a) (i64.const 0xffff)) (local.get $a))
    (call $logl (memory.grow (i64.const 1)))
    (call $logl (i64.load offset=8 (i64.and (local.get $a) (i64.const 0xffff))))
    (i64.store (local.get $a) (i64.const 1))  ;; past the end for args2 (-1) and most random values
    (memory.size))

  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "legacy") (param $x i32) (result i32)
    (try (result i32)
      (do (call $thrower (i32.add (local.get $x) (global.get $g))) (i32.const 0))
      (catch $e (i32.add (i32.const 100)))))
  (func (export "delegate") (result i32)
    (try (result i32)
      (do
        (try (do (call $thrower (i32.const 3))) (delegate 0))
        (i32.const 0))
      (catch_all (i32.const 9))))
  (func (export "rethrow") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $thrower (i32.const 5)) (i32.const 0))
          (catch $e (drop) (rethrow 0))))
      (catch $e)))
  (func (export "uncaught") (throw $e (i32.const 7)))  ;; export 5
  (func (export "through_host") (result i32)
    (try (result i32)
      (do (call $call_export (i32.const 5) (i32.const 0)) (i32.const 0))
      (catch $e)))
  (func (export "through_host_catch") (result i32) (call $call_export_catch (i32.const 5)))
)
