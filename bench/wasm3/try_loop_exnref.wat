;; The try_table (Wasm 3.0 encoding) variants of try_loop.wat: same bodies, same checksums.
;; wtrun reads this text directly (wabt 1.0.32 has no try_table). Used by bench/wasm3/run.sh.
(module
  (tag $e)
  (func $work (param i32) (result i32)
    (i32.rotl (i32.mul (local.get 0) (i32.const 0x9e3779b1)) (i32.const 15)))

  (func (export "try_table_call") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (try_table (catch $e $h)
          (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                   (call $work (local.get $i))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "try_table_arith") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (try_table (catch $e $h)
          (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                                   (i32.mul (local.get $i) (i32.const 0x9e3779b1))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
)
