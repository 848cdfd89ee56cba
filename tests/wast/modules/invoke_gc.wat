;; [wasmgc] --invoke with GC values: i31 arguments given as integers, results printed by what
;; they hold (tests/CMakeLists.txt: cli_invoke_gc_*).
(module
  (type $pair (struct (field i32) (field i32)))
  (type $bytes (array (mut i8)))
  (func (export "pass") (param anyref) (result anyref) (local.get 0))
  (func (export "pair") (param i32 i32) (result (ref $pair))
    (struct.new $pair (local.get 0) (local.get 1)))
  (func (export "bytes") (param i32) (result (ref $bytes))
    (array.new_default $bytes (local.get 0)))
  (func (export "sum") (param i31ref (ref eq)) (result i32)
    (i32.add (i31.get_s (local.get 0)) (i31.get_s (ref.cast i31ref (local.get 1))))))
