;; proc_exit(7) from the start function (during instantiation): exit status 7, nothing printed.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $start (call $proc_exit (i32.const 7)))
  (start $start)
  (func (export "_start") unreachable))
