;; args: --timeout 50ms
;; An endless loop is interrupted by the epoch timer.
(module
  (func $spin (loop $l (br $l)))
  (func $run (call $spin))
  (func (export "_start") (call $run)))
