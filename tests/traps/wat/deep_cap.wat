;; args: --max-backtrace 4
;; A trap 30 calls deep, with the report capped at 4 frames.
(module
  (func $down (param i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (call $down (i32.sub (local.get 0) (i32.const 1))))
  (func (export "_start") (call $down (i32.const 30))))
