;; proc_exit(9) from `_initialize`: exit status 9, the invoked function never runs.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_initialize") (call $proc_exit (i32.const 9)))
  (func (export "get") (result i32) (i32.const 1)))
