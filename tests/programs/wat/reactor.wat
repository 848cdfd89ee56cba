;; A reactor: `_initialize` runs (prints "init", sets the global) before --invoke.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "init\n")
  (global $g (mut i32) (i32.const 0))
  (func (export "_initialize")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (global.set $g (i32.const 42)))
  (func (export "get") (result i32) (global.get $g))
  (func (export "add") (param i32) (result i32) (i32.add (global.get $g) (local.get 0))))
