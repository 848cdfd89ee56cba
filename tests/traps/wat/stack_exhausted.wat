;; Unbounded recursion: 20 frames are shown, the rest counted.
(module
  (func $recurse (param i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "_start") (call $recurse (i32.const 0))))
