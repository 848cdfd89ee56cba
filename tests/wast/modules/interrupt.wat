;; Exports for the --fuel / --timeout / --max-wasm-stack CLI tests (docs/traps-limits.md).
(module
  ;; An infinite loop.
  (func (export "spin") (loop $l (br $l)))
  ;; No loop: 2^62 calls; only the epoch checks at function entries stop it.
  (func $tree (param $d i32)
    (if (i32.eqz (local.get $d)) (then (return)))
    (call $tree (i32.sub (local.get $d) (i32.const 1)))
    (call $tree (i32.sub (local.get $d) (i32.const 1))))
  (func (export "tree") (call $tree (i32.const 62)))
  ;; Counts to n.
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $i))
  ;; Recursion as deep as the argument.
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
)
