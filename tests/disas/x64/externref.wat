;; [gc] externref barriers: global.get of an externref global appends to the activations
;; table inline (count +1; bump VMStoreContext::activations_next while below activations_end,
;; else wt_gc_insert_slow), global.set and table.get/set call the counting builtins.
(module
  (global $g (mut externref) (ref.null extern))
  (table $t 1 externref)
  (func (export "get") (result externref) (global.get $g))
  (func (export "set") (param externref) (global.set $g (local.get 0)))
  (func (export "table_get") (param i32) (result externref) (table.get $t (local.get 0))))
