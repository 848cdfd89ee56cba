;; A command module whose _start traps.
(module
  (func (export "_start") (call $f))
  (func $f (unreachable)))
