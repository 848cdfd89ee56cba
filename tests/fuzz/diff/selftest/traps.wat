;; Every trap kind V8 words differently from the spec (compare.cjs maps them).
;; expect-verdict: agree
;; expect-line: trap unreachable
;; expect-line: trap integer divide by zero
;; expect-line: trap integer overflow
;; expect-line: trap invalid conversion to integer
;; expect-line: trap out of bounds memory access
;; expect-line: trap undefined element
;; expect-line: trap uninitialized element
;; expect-line: trap indirect call type mismatch
;; expect-line: trap out of bounds table access
(module
  (type $v (func))
  (type $i (func (result i32)))
  (memory 1)
  (table $t 4 funcref)
  (elem (i32.const 0) $f)
  (data $d "abc")
  (func $f)
  (func (export "unreachable") unreachable)
  (func (export "div-zero") (result i32) (i32.div_s (i32.const 1) (i32.const 0)))
  (func (export "rem-zero") (result i64) (i64.rem_u (i64.const 1) (i64.const 0)))
  (func (export "div-overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "trunc-nan") (result i32) (i32.trunc_f32_s (f32.const nan)))
  (func (export "trunc-overflow") (result i64) (i64.trunc_f64_u (f64.const -1e30)))
  (func (export "trunc-sat") (result i32) (i32.trunc_sat_f64_s (f64.const 1e30)))
  (func (export "load-oob") (result i32) (i32.load offset=65534 (i32.const 0)))
  (func (export "store-oob") (i64.store (i32.const -1) (i64.const 1)))
  (func (export "fill-oob") (memory.fill (i32.const 65000) (i32.const 1) (i32.const 1000)))
  (func (export "init-dropped") (data.drop $d) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "indirect-oob") (call_indirect (type $v) (i32.const 10)))
  (func (export "indirect-null") (call_indirect (type $v) (i32.const 1)))
  (func (export "indirect-type") (result i32) (call_indirect (type $i) (i32.const 0)))
  (func (export "table-get-oob") (result funcref) (table.get $t (i32.const 4)))
  (func (export "table-fill-oob") (table.fill $t (i32.const 3) (ref.null func) (i32.const 2)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
)
