;; [wasm3] Forward labels keep the local cache (docs/jit.md "Locals"): a try that never throws
;; around arithmetic, in both encodings, compiles to the same loop as without it; the landing
;; pads load the cached locals their label expects (try_table: through a stub after the body).
;; An if/else arm and a block left by a br_if keep the cache too.
(module
  (tag $e (param i32))
  (func (export "legacy") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (try
        (do (local.set $acc (i32.add (local.get $acc) (local.get $i))))
        (catch $e (local.set $acc)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "try_table") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (try_table (catch_all $h)
          (local.set $acc (i32.add (local.get $acc) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "block_br_if") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (block $h
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (br_if $h (i32.eqz (local.get $n)))
        (local.set $acc (i32.xor (local.get $acc) (local.get $n))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "if_else") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $acc (i32.add (local.get $acc) (local.get $i))))
        (else (local.set $acc (i32.sub (local.get $acc) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))
