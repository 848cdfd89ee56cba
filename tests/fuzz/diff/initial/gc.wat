;; [wasmgc] Initial content for run.sh's "gcinit" set (binaryen's -ttf --initial-fuzz): the fuzzer
;; keeps these functions (mutating their constants), adds its own random code around them and
;; exports them, so the harness calls them with its three argument sets. What binaryen 132's GC
;; generator does not emit (in a sample of 10 modules): array.new_data / new_elem, array.init_data
;; / init_elem, any.convert_extern / extern.convert_any, packed struct fields read signed and
;; unsigned, and subtype chains deeper than wtrun's cast display (8 levels: deeper casts take
;; the rtt->deep path, docs/gc.md).
(module
  (rec
    (type $s0 (sub (struct (field (mut i32)))))
    (type $s1 (sub $s0 (struct (field (mut i32)) (field (mut i8)))))
    (type $s2 (sub $s1 (struct (field (mut i32)) (field (mut i8)) (field i16))))
    (type $s3 (sub $s2 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s4 (sub $s3 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s5 (sub $s4 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s6 (sub $s5 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s7 (sub $s6 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s8 (sub $s7 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s9 (sub $s8 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64))))
    (type $s10 (sub $s9 (struct (field (mut i32)) (field (mut i8)) (field i16) (field i64)))))
  (type $bytes (array (mut i8)))
  (type $halves (array (mut i16)))
  (type $refs (array (mut anyref)))
  (type $funcs (array (mut funcref)))
  (memory 1 1)
  (data $d "\01\02\83\84\05\06\87\88\09\0a\8b\8c\0d\0e\8f\90")
  (table 4 funcref)
  (elem $e func $gc_deep $gc_data $gc_conv $gc_packed)
  (global $keep (mut anyref) (ref.null none))

  ;; A struct of depth n (0..10), tested and cast against the depths around it (the display
  ;; check below 8, the deep one from 8 on; a failing cast traps).
  (func $make (param $n i32) (result (ref $s0))
    (block $b10 (block $b9 (block $b8 (block $b7 (block $b6 (block $b5 (block $b4 (block $b3
    (block $b2 (block $b1 (block $b0
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 $b8 $b9 $b10 (i32.rem_u (local.get $n) (i32.const 11))))
      (return (struct.new $s0 (local.get $n))))
      (return (struct.new $s1 (local.get $n) (i32.const -1))))
      (return (struct.new $s2 (local.get $n) (i32.const 200) (i32.const -2))))
      (return (struct.new $s3 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 3))))
      (return (struct.new $s4 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 4))))
      (return (struct.new $s5 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 5))))
      (return (struct.new $s6 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 6))))
      (return (struct.new $s7 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 7))))
      (return (struct.new $s8 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 8))))
      (return (struct.new $s9 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 9))))
    (struct.new $s10 (local.get $n) (i32.const 1) (i32.const 2) (i64.const 10)))

  (func $gc_deep (export "gc_deep") (param $n i32) (param $m i32) (result i32)
    (local $o (ref $s0))
    (local $r i32)
    (local.set $o (call $make (local.get $n)))
    (global.set $keep (local.get $o))
    (local.set $r
      (i32.add
        (i32.add (ref.test (ref $s7) (local.get $o)) (i32.shl (ref.test (ref $s8) (local.get $o)) (i32.const 1)))
        (i32.add (i32.shl (ref.test (ref $s9) (local.get $o)) (i32.const 2))
                 (i32.shl (ref.test (ref null $s10) (local.get $o)) (i32.const 3)))))
    (drop
      (block $fail (result (ref $s0))
        (local.set $r (i32.add (local.get $r)
          (i32.wrap_i64 (struct.get $s9 3 (br_on_cast_fail $fail (ref $s0) (ref $s9) (local.get $o))))))
        (local.get $o)))
    (i32.add (local.get $r)
      (i32.wrap_i64 (struct.get $s3 3 (ref.cast (ref $s3) (call $make (local.get $m)))))))

  ;; array.new_data / init_data on a byte and an i16 array, array.new_elem / init_elem,
  ;; array.copy between them (out of bounds traps).
  (func $gc_data (export "gc_data") (param $off i32) (param $len i32) (result i32)
    (local $a (ref $bytes))
    (local $h (ref $halves))
    (local $f (ref $funcs))
    (local.set $a (array.new_data $bytes $d (i32.and (local.get $off) (i32.const 15)) (i32.and (local.get $len) (i32.const 15))))
    (local.set $h (array.new_data $halves $d (i32.const 2) (i32.const 6)))
    (array.init_data $halves $d (local.get $h) (i32.const 1) (i32.const 0) (i32.and (local.get $len) (i32.const 7)))
    (local.set $f (array.new_elem $funcs $e (i32.const 0) (i32.const 4)))
    (array.init_elem $funcs $e (local.get $f) (i32.const 1) (i32.and (local.get $off) (i32.const 3)) (i32.const 2))
    (array.copy $bytes $bytes (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.and (local.get $len) (i32.const 3)))
    (array.fill $halves (local.get $h) (i32.const 4) (local.get $off) (i32.const 2))
    (global.set $keep (local.get $h))
    (i32.add
      (i32.add (array.get_s $bytes (local.get $a) (i32.const 1)) (array.get_u $bytes (local.get $a) (i32.const 2)))
      (i32.add (array.get_s $halves (local.get $h) (i32.const 1))
        (i32.add (array.len (local.get $f))
                 (ref.is_null (array.get $funcs (local.get $f) (i32.and (local.get $off) (i32.const 3))))))))

  ;; The conversions between the any and extern hierarchies, round trips and casts after them.
  (func $gc_conv (export "gc_conv") (param $x i32) (param $e externref) (result i32)
    (local $a anyref)
    (local.set $a (any.convert_extern (extern.convert_any (ref.i31 (local.get $x)))))
    (global.set $keep (any.convert_extern (local.get $e)))
    (i32.add
      (i32.add (i31.get_s (ref.cast (ref i31) (local.get $a)))
               (ref.test (ref struct) (any.convert_extern (extern.convert_any (struct.new $s0 (local.get $x))))))
      (i32.add (ref.test (ref i31) (global.get $keep))
               (ref.is_null (any.convert_extern (local.get $e))))))

  ;; Packed fields: stored truncated, read signed and unsigned.
  (func $gc_packed (export "gc_packed") (param $x i32) (result i32)
    (local $s (ref $s2))
    (local.set $s (struct.new $s2 (local.get $x) (local.get $x) (i32.sub (i32.const 0) (local.get $x))))
    (struct.set $s2 1 (local.get $s) (i32.add (struct.get_u $s2 1 (local.get $s)) (i32.const 1)))
    (i32.add
      (i32.add (struct.get_s $s2 1 (local.get $s)) (struct.get_u $s2 1 (local.get $s)))
      (i32.add (struct.get_s $s2 2 (local.get $s)) (struct.get_u $s2 2 (local.get $s)))))
)
