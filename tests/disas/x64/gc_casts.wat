;; [wasmgc] Casts (compiler_gc_casts.h): ref.test of an abstract type (null, the i31 tag bit,
;; the header's kind byte), ref.cast to a concrete struct type of depth 1 (the Rtt display:
;; load rtt, load display[1], compare with vmctx->rtts[T]), br_on_cast to i31, ref.eq, and
;; call_indirect to a non-final function type (the id compare, then the runtime's subtype
;; check before the trap).
(module
  (type $s0 (sub (struct)))
  (type $s1 (sub $s0 (struct (field i32))))
  (type $f (sub (func (result i32))))
  (table 1 funcref)
  (func (export "test_eq") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
  (func (export "cast_s1") (param anyref) (result (ref null $s1))
    (ref.cast (ref null $s1) (local.get 0)))
  (func (export "br_i31") (param anyref) (result i32)
    (block $l (result (ref i31))
      (br_on_cast $l anyref (ref i31) (local.get 0))
      (drop)
      (return (i32.const 0)))
    (drop)
    (i32.const 1))
  (func (export "eq") (param eqref eqref) (result i32) (ref.eq (local.get 0) (local.get 1)))
  (func (export "call") (param i32) (result i32) (call_indirect (type $f) (local.get 0))))
