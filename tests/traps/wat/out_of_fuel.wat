;; args: --fuel 1000
;; An endless loop runs out of fuel.
(module
  (func $spin (loop $l (br $l)))
  (func $run (call $spin))
  (func (export "_start") (call $run)))
