;; A command module whose _start returns normally (and prints nothing).
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "_start") (global.set $g (i32.const 1))))
