;; args: --timeout 1s
;; An endless loop is interrupted by the epoch timer. The deadline counts from the store's
;; creation (before compiling): 1 s leaves room for a loaded machine or qemu to reach $spin.
(module
  (func $spin (loop $l (br $l)))
  (func $run (call $spin))
  (func (export "_start") (call $run)))
