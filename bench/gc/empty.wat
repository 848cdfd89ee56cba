;; [wasmgc] #18: the start-up control of bench/gc/run.sh: a run of nothing (process start,
;; module load and compile, instantiation, one call), wtrun and node alike.
(module
  (type $s (struct (field i64)))
  (func (export "run") (param $n i32) (result i64)
    (struct.get $s 0 (struct.new $s (i64.extend_i32_u (local.get $n))))))
