;; Recursion through the host (call-export-catch calls this export again): stack exhaustion
;; is not an exception the -catch variants swallow.
;; expect-verdict: agree
;; expect-reason: stack exhausted on both
(module
  (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
  (func (export "through-host") (result i32) (call $catch (i32.const 0)))
)
