;; Loads and stores with static offsets, sign/zero extension and a memory.grow builtin call.
(module
  (memory 1)
  (func (export "copy_word") (param $dst i32) (param $src i32)
    (i32.store offset=4 (local.get $dst) (i32.load offset=8 (local.get $src))))
  (func (export "load8_s") (param i32) (result i32)
    (i32.load8_s (local.get 0)))
  (func (export "load16_u_i64") (param i32) (result i64)
    (i64.load16_u offset=2 (local.get 0)))
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))
