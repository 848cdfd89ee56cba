;; [wasmgc] GC objects (compiler_gc_objects.h): struct.new allocates inline from the store's
;; bump span (VMStoreContext::gc_next/gc_end; header word, Rtt from VMContext::rtts) with
;; wt_gc_alloc_struct as the slow path; struct.get/set null-check then load/store at the
;; field's offset (packed fields: sign/zero-extending loads, narrow stores); array.get
;; checks null and the index against the length.
(module
  (type $point (struct (field $x (mut i32)) (field $y (mut i64)) (field $tag (mut i8))))
  (type $bytes (array (mut i8)))
  (func (export "new") (param i32 i64) (result (ref $point))
    (struct.new $point (local.get 0) (local.get 1) (i32.const 7)))
  (func (export "get_y") (param (ref null $point)) (result i64)
    (struct.get $point $y (local.get 0)))
  (func (export "get_tag") (param (ref null $point)) (result i32)
    (struct.get_s $point $tag (local.get 0)))
  (func (export "set_x") (param (ref null $point) i32)
    (struct.set $point $x (local.get 0) (local.get 1)))
  (func (export "byte") (param (ref null $bytes) i32) (result i32)
    (array.get_u $bytes (local.get 0) (local.get 1))))
