;; [wasmgc] #18: cast-heavy dispatch over a type hierarchy. A shape has a vtable (a struct of
;; typed function references); circle, rect and tri are subtypes of shape, square a subtype of
;; rect, and a few i31 values are mixed in. run(n) fills an (array (ref null any)) of 4096
;; elements with a repeating mix, then n times over it:
;;  - br_on_cast chains (square before rect, then circle, tri, i31) pick the per-type area;
;;  - ref.test counts rects (squares included) and ref.cast reads a shape's id field;
;;  - call_ref through the vtable (a virtual call), and call_indirect through a table of the
;;    same functions indexed by the shape's id.
;; Returns a checksum of every area and count.
(module
  (rec
    (type $vt (struct (field $area (ref $area_fn)) (field $scale (ref $scale_fn))))
    (type $area_fn (func (param (ref $shape)) (result i64)))
    (type $scale_fn (func (param (ref $shape) i64) (result i64)))
    (type $shape (sub (struct (field $vt (ref $vt)) (field $id i32))))
    (type $circle (sub final $shape (struct (field $vt (ref $vt)) (field $id i32) (field $r i64))))
    (type $rect (sub $shape
      (struct (field $vt (ref $vt)) (field $id i32) (field $w i64) (field $h i64))))
    (type $square (sub final $rect
      (struct (field $vt (ref $vt)) (field $id i32) (field $w i64) (field $h i64))))
    (type $tri (sub final $shape
      (struct (field $vt (ref $vt)) (field $id i32) (field $b i64) (field $h i64)))))
  (type $objs (array (mut (ref null any))))

  (table $by_id 4 funcref)
  (elem (table $by_id) (i32.const 0) func $circle_area $rect_area $rect_area $tri_area)

  (func $circle_area (type $area_fn)
    (local $c (ref $circle))
    (local.set $c (ref.cast (ref $circle) (local.get 0)))
    (i64.mul (i64.const 3) (i64.mul (struct.get $circle $r (local.get $c))
                                    (struct.get $circle $r (local.get $c)))))
  (func $rect_area (type $area_fn)
    (local $r (ref $rect))
    (local.set $r (ref.cast (ref $rect) (local.get 0)))
    (i64.mul (struct.get $rect $w (local.get $r)) (struct.get $rect $h (local.get $r))))
  (func $tri_area (type $area_fn)
    (local $t (ref $tri))
    (local.set $t (ref.cast (ref $tri) (local.get 0)))
    (i64.shr_u (i64.mul (struct.get $tri $b (local.get $t)) (struct.get $tri $h (local.get $t)))
               (i64.const 1)))
  (func $scale (type $scale_fn)
    (i64.mul (call_ref $area_fn (local.get 0)
                       (struct.get $vt $area (struct.get $shape $vt (local.get 0))))
             (local.get 1)))

  (global $vt_circle (ref $vt) (struct.new $vt (ref.func $circle_area) (ref.func $scale)))
  (global $vt_rect (ref $vt) (struct.new $vt (ref.func $rect_area) (ref.func $scale)))
  (global $vt_tri (ref $vt) (struct.new $vt (ref.func $tri_area) (ref.func $scale)))

  (func $make (param $i i32) (result (ref null any))
    (local $k i32) (local $v i64)
    (local.set $k (i32.rem_u (local.get $i) (i32.const 9)))
    (local.set $v (i64.extend_i32_u (i32.add (i32.and (local.get $i) (i32.const 15)) (i32.const 1))))
    (block $b0 (block $b1 (block $b2 (block $b3 (block $b4 (block $b5
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b0 $b1 $b3 (local.get $k)))
      ;; 5: i31
      (return (ref.i31 (local.get $i))))
      ;; 4: null
      (return (ref.null any)))
      ;; 3: tri
      (return (struct.new $tri (global.get $vt_tri) (i32.const 3) (local.get $v)
                               (i64.add (local.get $v) (i64.const 2)))))
      ;; 2: square
      (return (struct.new $square (global.get $vt_rect) (i32.const 2) (local.get $v)
                                  (local.get $v))))
      ;; 1: rect
      (return (struct.new $rect (global.get $vt_rect) (i32.const 1) (local.get $v)
                                (i64.add (local.get $v) (i64.const 1)))))
    ;; 0: circle
    (struct.new $circle (global.get $vt_circle) (i32.const 0) (local.get $v)))

  ;; The area by casts alone (no virtual call).
  (func $area_by_cast (param $o (ref null any)) (result i64)
    (local $r (ref $rect)) (local $t (ref $tri)) (local $rest (ref null any))
    (block $not_tri (result (ref null any))
      (block $is_circle (result (ref $circle))
        (block $is_rect (result (ref $rect))
          (block $is_square (result (ref $square))
            (br_on_cast $is_square (ref null any) (ref $square) (local.get $o))
            (br_on_cast $is_rect (ref null any) (ref $rect))
            (br_on_cast $is_circle (ref null any) (ref $circle))
            (br_on_cast_fail $not_tri (ref null any) (ref $tri))
            (local.set $t)
            (return (i64.add (struct.get $tri $b (local.get $t)) (struct.get $tri $h (local.get $t)))))
          ;; square: w * w
          (local.set $r)
          (return (i64.mul (struct.get $rect $w (local.get $r)) (struct.get $rect $w (local.get $r)))))
        (local.set $r)
        (return (i64.mul (struct.get $rect $w (local.get $r)) (struct.get $rect $h (local.get $r)))))
      (return (struct.get $circle $r)))
    ;; i31 or null
    (local.set $rest)
    (if (result i64) (ref.test (ref i31) (local.get $rest))
      (then (i64.extend_i32_s (i31.get_s (ref.cast (ref i31) (local.get $rest)))))
      (else (i64.const 0))))

  (func (export "run") (param $n i32) (result i64)
    (local $objs (ref $objs)) (local $i i32) (local $round i32) (local $sum i64)
    (local $o (ref null any)) (local $s (ref $shape)) (local $len i32)
    (local.set $len (i32.const 4096))
    (local.set $objs (array.new_default $objs (local.get $len)))
    (loop $fill
      (array.set $objs (local.get $objs) (local.get $i) (call $make (local.get $i)))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                             (local.get $len))))
    (loop $rounds
      (local.set $i (i32.const 0))
      (loop $elems
        (local.set $o (array.get $objs (local.get $objs) (local.get $i)))
        (local.set $sum (i64.add (local.get $sum) (call $area_by_cast (local.get $o))))
        (if (ref.test (ref $rect) (local.get $o))
          (then (local.set $sum (i64.add (local.get $sum) (i64.const 1000)))))
        (if (ref.test (ref $shape) (local.get $o))
          (then
            (local.set $s (ref.cast (ref $shape) (local.get $o)))
            ;; a virtual call through the vtable
            (local.set $sum (i64.add (local.get $sum)
              (call_ref $scale_fn (local.get $s) (i64.extend_i32_u (local.get $round))
                (struct.get $vt $scale (struct.get $shape $vt (local.get $s))))))
            ;; the same through the table, by id
            (local.set $sum (i64.add (local.get $sum)
              (call_indirect $by_id (type $area_fn) (local.get $s)
                (struct.get $shape $id (local.get $s)))))))
        (br_if $elems (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                (local.get $len))))
      (br_if $rounds (i32.lt_u (local.tee $round (i32.add (local.get $round) (i32.const 1)))
                               (local.get $n))))
    (local.get $sum)))
