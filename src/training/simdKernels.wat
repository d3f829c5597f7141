;; SIMD loops for the wasm backend's training kernels (wasmKernels.ts), run on the tfjs wasm
;; module's own memory, which this module imports: every pointer is a byte offset into it, as
;; tfjs's own kernels take them. Each loop handles 4 float32 (one v128) at a time; wasmSimd.ts
;; calls them only for shapes they handle and keeps the other shapes on the JavaScript loops.
;; Compiled to bytes at build time (wabt, the `wat` plugin in vite.config.ts).
(module
  (import "env" "memory" (memory 1))

  ;; dL/dx of 2×2 max pooling at stride 2, windows inside the input, C % 4 == 0 channels (NHWC).
  ;; The gradient of each window goes to the first of its four pixels (row-major) whose bits
  ;; equal the pooled maximum; the others get zero. Bits, not floats, are compared: the wasm
  ;; MaxPool copies the maximum, so it equals one pixel exactly (wasmKernels.ts, maxPoolGrad2x2).
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $max i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $inHeight i32) (param $inWidth i32) (param $channels i32)
    (param $outHeight i32) (param $outWidth i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $k i32)
    (local $right i32) (local $below i32) (local $corner i32) (local $from i32) (local $to i32)
    (local $m v128) (local $g v128) (local $isA v128) (local $isB v128) (local $isC v128) (local $taken v128)
    ;; $right: bytes to the pixel on the right; $below: bytes to the pixel below.
    (local.set $right (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $below (i32.mul (local.get $inWidth) (local.get $right)))
    (block $batchDone (loop $eachImage
      (br_if $batchDone (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $rowsDone (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $oy) (local.get $outHeight)))
        ;; The byte offset of the window's top-left pixel: ((n·H + 2·oy)·W + 2·ox)·C·4.
        (local.set $corner
          (i32.mul
            (i32.add (i32.mul (local.get $n) (local.get $inHeight)) (i32.shl (local.get $oy) (i32.const 1)))
            (local.get $below)))
        (local.set $ox (i32.const 0))
        (block $columnsDone (loop $eachColumn
          (br_if $columnsDone (i32.ge_u (local.get $ox) (local.get $outWidth)))
          (local.set $k (i32.const 0))
          (block $channelsDone (loop $eachChannels
            (br_if $channelsDone (i32.ge_u (local.get $k) (local.get $right)))
            (local.set $from (i32.add (local.get $x) (i32.add (local.get $corner) (local.get $k))))
            (local.set $to (i32.add (local.get $dx) (i32.add (local.get $corner) (local.get $k))))
            (local.set $m (v128.load (local.get $max)))
            (local.set $g (v128.load (local.get $dy)))
            (local.set $isA (i32x4.eq (v128.load (local.get $from)) (local.get $m)))
            (local.set $isB (i32x4.eq (v128.load (i32.add (local.get $from) (local.get $right))) (local.get $m)))
            (local.set $isC (i32x4.eq (v128.load (i32.add (local.get $from) (local.get $below))) (local.get $m)))
            (local.set $taken (v128.or (local.get $isA) (local.get $isB)))
            (v128.store (local.get $to) (v128.and (local.get $g) (local.get $isA)))
            (v128.store (i32.add (local.get $to) (local.get $right))
              (v128.andnot (v128.and (local.get $g) (local.get $isB)) (local.get $isA)))
            (v128.store (i32.add (local.get $to) (local.get $below))
              (v128.andnot (v128.and (local.get $g) (local.get $isC)) (local.get $taken)))
            (v128.store (i32.add (i32.add (local.get $to) (local.get $below)) (local.get $right))
              (v128.andnot (local.get $g) (v128.or (local.get $taken) (local.get $isC))))
            (local.set $max (i32.add (local.get $max) (i32.const 16)))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $eachChannels)))
          (local.set $corner (i32.add (local.get $corner) (i32.shl (local.get $right) (i32.const 1))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $eachColumn)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $eachRow)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $eachImage)))
  )

  ;; Adds a float32x4's four values into two float64x2 accumulators at $at and $at + 16.
  (func $accumulate (param $at i32) (param $v v128)
    (v128.store (local.get $at)
      (f64x2.add (v128.load (local.get $at)) (f64x2.promote_low_f32x4 (local.get $v))))
    (v128.store (i32.add (local.get $at) (i32.const 16))
      (f64x2.add
        (v128.load (i32.add (local.get $at) (i32.const 16)))
        (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
  )

  ;; out[c] = scale · Σ over r of x[r, c], for a [rows, columns] float32 matrix, columns % 4 == 0.
  ;; Eight rows at a time are added in float32 (neighbours in memory, one pass over x), then into
  ;; float64 accumulators at $scratch (columns float64, 8-byte aligned): a bias gradient over
  ;; 46,656 rows rounds in float32 only within each group of eight.
  (func (export "sumRows")
    (param $x i32) (param $out i32) (param $scratch i32) (param $rows i32) (param $columns i32) (param $scale f64)
    (local $rowBytes i32) (local $row i32) (local $k i32) (local $at i32) (local $s v128)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $k (i32.const 0))
    (block $cleared (loop $clear
      (br_if $cleared (i32.ge_u (local.get $k) (i32.shl (local.get $rowBytes) (i32.const 1))))
      (v128.store (i32.add (local.get $scratch) (local.get $k)) (v128.const i64x2 0 0))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $clear)))
    (block $blocksDone (loop $eachBlock
      (br_if $blocksDone (i32.gt_u (i32.add (local.get $row) (i32.const 8)) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $chunksDone (loop $eachChunk
        (br_if $chunksDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
        (local.set $at (i32.add (local.get $x) (local.get $k)))
        (local.set $s
          (f32x4.add
            (f32x4.add
              (f32x4.add (v128.load (local.get $at)) (v128.load (i32.add (local.get $at) (local.get $rowBytes))))
              (f32x4.add
                (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 2))))
                (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 3))))))
            (f32x4.add
              (f32x4.add
                (v128.load (i32.add (local.get $at) (i32.shl (local.get $rowBytes) (i32.const 2))))
                (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 5)))))
              (f32x4.add
                (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 6))))
                (v128.load (i32.add (local.get $at) (i32.mul (local.get $rowBytes) (i32.const 7))))))))
        (call $accumulate (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 1))) (local.get $s))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $eachChunk)))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $rowBytes) (i32.const 3))))
      (local.set $row (i32.add (local.get $row) (i32.const 8)))
      (br $eachBlock)))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $row) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $chunksDone (loop $eachChunk
        (br_if $chunksDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
        (call $accumulate
          (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 1)))
          (v128.load (i32.add (local.get $x) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $eachChunk)))
      (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $eachRest)))
    (local.set $k (i32.const 0))
    (block $written (loop $write
      (br_if $written (i32.ge_u (local.get $k) (local.get $rowBytes)))
      (local.set $at (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 1))))
      (v128.store (i32.add (local.get $out) (local.get $k))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (local.get $at)) (f64x2.splat (local.get $scale))))
          (f32x4.demote_f64x2_zero
            (f64x2.mul (v128.load (i32.add (local.get $at) (i32.const 16))) (f64x2.splat (local.get $scale))))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $write)))
  )

  ;; out[r, c] = x[r, c] + bias[c], for a [rows, columns] float32 matrix, columns % 4 == 0:
  ;; a layer's bias added to every position.
  (func (export "addBias")
    (param $x i32) (param $bias i32) (param $out i32) (param $rows i32) (param $columns i32)
    (local $rowBytes i32) (local $end i32) (local $k i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (block $done (loop $eachRow
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $k (i32.const 0))
      (block $rowDone (loop $eachChunk
        (br_if $rowDone (i32.ge_u (local.get $k) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $out) (local.get $k))
          (f32x4.add
            (v128.load (i32.add (local.get $x) (local.get $k)))
            (v128.load (i32.add (local.get $bias) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $eachChunk)))
      (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (br $eachRow)))
  )

  ;; dL/dx of ReLU: out[i] = dy[i] where x[i] > 0, else 0, for `count` float32 values.
  (func (export "reluGrad")
    (param $dy i32) (param $x i32) (param $out i32) (param $count i32)
    (local $i i32) (local $vectors i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $eachVector
      (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
      (v128.store (i32.add (local.get $out) (local.get $i))
        (v128.and
          (v128.load (i32.add (local.get $dy) (local.get $i)))
          (f32x4.gt (v128.load (i32.add (local.get $x) (local.get $i))) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $eachVector)))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (f32.store (i32.add (local.get $out) (local.get $i))
        (select
          (f32.load (i32.add (local.get $dy) (local.get $i)))
          (f32.const 0)
          (f32.gt (f32.load (i32.add (local.get $x) (local.get $i))) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $eachRest)))
  )

  ;; dL/dW of a convolution, four rows of it at a time, for 8 of its filters (the caller points
  ;; $dy and $out0..3 at the first of them): row r of dW is a tap (a, b) and an input channel c, and
  ;; dW[r][o] = Σ over n, i, j of x[n, i·s + a, j·s + b, c] · dy[n, i, j, o], with x padded so
  ;; that every tap lies inside it. $offset0..3: each row's byte offset in an image of x;
  ;; $out0..3: where each row's 8 sums go, added to what is there (a scratch row for a group of
  ;; fewer than four). Eight float32x4 sums stay in registers through an image, then are added
  ;; to $out: no sum runs over more than one image's positions in float32. (Sixteen filters at a
  ;; time, 16 sums, which V8 spills, measured 17-24% slower alone and 0-13% slower in a training
  ;; step on the strongest preset's layers, and the same on the Fashion CNN's.)
  (func (export "filterGradientRows")
    (param $x i32) (param $dy i32) (param $batch i32) (param $outHeight i32) (param $outWidth i32)
    (param $dyStep i32) (param $imageBytes i32) (param $rowBytes i32) (param $columnBytes i32)
    (param $offset0 i32) (param $offset1 i32) (param $offset2 i32) (param $offset3 i32)
    (param $out0 i32) (param $out1 i32) (param $out2 i32) (param $out3 i32)
    (local $n i32) (local $i i32) (local $j i32) (local $image i32) (local $row i32) (local $at i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $d0 v128) (local $d1 v128)
    ;; $xr: row r's value of x at this position, four times; $dv: dy's filters 4v..4v+3;
    ;; $arv: row r's sums for those filters.
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local.set $image (local.get $x))
    (block $batchDone (loop $eachImage
      (br_if $batchDone (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $a00 (v128.const i64x2 0 0))
      (local.set $a01 (v128.const i64x2 0 0))
      (local.set $a10 (v128.const i64x2 0 0))
      (local.set $a11 (v128.const i64x2 0 0))
      (local.set $a20 (v128.const i64x2 0 0))
      (local.set $a21 (v128.const i64x2 0 0))
      (local.set $a30 (v128.const i64x2 0 0))
      (local.set $a31 (v128.const i64x2 0 0))
      (local.set $row (local.get $image))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $eachRow
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $outHeight)))
        (local.set $at (local.get $row))
        (local.set $j (i32.const 0))
        (block $columnsDone (loop $eachColumn
          (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $outWidth)))
          (local.set $x0 (v128.load32_splat (i32.add (local.get $at) (local.get $offset0))))
          (local.set $x1 (v128.load32_splat (i32.add (local.get $at) (local.get $offset1))))
          (local.set $x2 (v128.load32_splat (i32.add (local.get $at) (local.get $offset2))))
          (local.set $x3 (v128.load32_splat (i32.add (local.get $at) (local.get $offset3))))
          (local.set $d0 (v128.load offset=0 (local.get $dy)))
          (local.set $d1 (v128.load offset=16 (local.get $dy)))
          (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $x0) (local.get $d0))))
          (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $x0) (local.get $d1))))
          (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $x1) (local.get $d0))))
          (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $x1) (local.get $d1))))
          (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $x2) (local.get $d0))))
          (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $x2) (local.get $d1))))
          (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $x3) (local.get $d0))))
          (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $x3) (local.get $d1))))
          (local.set $dy (i32.add (local.get $dy) (local.get $dyStep)))
          (local.set $at (i32.add (local.get $at) (local.get $columnBytes)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $eachColumn)))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachRow)))
      (v128.store offset=0 (local.get $out0) (f32x4.add (v128.load offset=0 (local.get $out0)) (local.get $a00)))
      (v128.store offset=16 (local.get $out0) (f32x4.add (v128.load offset=16 (local.get $out0)) (local.get $a01)))
      (v128.store offset=0 (local.get $out1) (f32x4.add (v128.load offset=0 (local.get $out1)) (local.get $a10)))
      (v128.store offset=16 (local.get $out1) (f32x4.add (v128.load offset=16 (local.get $out1)) (local.get $a11)))
      (v128.store offset=0 (local.get $out2) (f32x4.add (v128.load offset=0 (local.get $out2)) (local.get $a20)))
      (v128.store offset=16 (local.get $out2) (f32x4.add (v128.load offset=16 (local.get $out2)) (local.get $a21)))
      (v128.store offset=0 (local.get $out3) (f32x4.add (v128.load offset=0 (local.get $out3)) (local.get $a30)))
      (v128.store offset=16 (local.get $out3) (f32x4.add (v128.load offset=16 (local.get $out3)) (local.get $a31)))
      (local.set $image (i32.add (local.get $image) (local.get $imageBytes)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $eachImage)))
  )

  ;; One step of Adam for `count` weights, as tfjs's AdamOptimizer computes it op by op, in the
  ;; same float32 operations and order, so the results are the same bits:
  ;;   m' = m·β₁ + g·(1 − β₁)          v' = v·β₂ + g²·(1 − β₂)
  ;;   w' = (m' / c₁) / (√(v' / c₂) + ε) · (−rate) + w      (c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ)
  ;; Reads w, g, m and v once and writes w', m' and v' once, where tfjs makes 13 passes. The
  ;; loop is bound by its three divisions and its square root; dividing by a c that is exactly 1
  ;; (c₁ from step 166 on in float32, c₂ from step 17,000 or so) gives the value itself, so that
  ;; division is skipped, behind a branch that goes the same way for a whole call.
  (func (export "adamStep")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $newW i32) (param $newM i32) (param $newV i32) (param $count i32)
    (param $beta1 f32) (param $rest1 f32) (param $beta2 f32) (param $rest2 f32)
    (param $c1 f32) (param $c2 f32) (param $epsilon f32) (param $negativeRate f32)
    (local $i i32) (local $vectors i32) (local $bytes i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $divide1 i32) (local $divide2 i32)
    (local.set $divide1 (f32.ne (local.get $c1) (f32.const 1)))
    (local.set $divide2 (f32.ne (local.get $c2) (f32.const 1)))
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $eachVector
      (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $mv
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (f32x4.splat (local.get $beta1)))
          (f32x4.mul (local.get $gv) (f32x4.splat (local.get $rest1)))))
      (local.set $vv
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (f32x4.splat (local.get $beta2)))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $rest2)))))
      (v128.store (i32.add (local.get $newM) (local.get $i)) (local.get $mv))
      (v128.store (i32.add (local.get $newV) (local.get $i)) (local.get $vv))
      (v128.store (i32.add (local.get $newW) (local.get $i))
        (f32x4.add
          (f32x4.mul
            (f32x4.div
              (if (result v128) (local.get $divide1)
                (then (f32x4.div (local.get $mv) (f32x4.splat (local.get $c1))))
                (else (local.get $mv)))
              (f32x4.add
                (f32x4.sqrt
                  (if (result v128) (local.get $divide2)
                    (then (f32x4.div (local.get $vv) (f32x4.splat (local.get $c2))))
                    (else (local.get $vv))))
                (f32x4.splat (local.get $epsilon))))
            (f32x4.splat (local.get $negativeRate)))
          (v128.load (i32.add (local.get $w) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $eachVector)))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
      (local.set $ms
        (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $beta1))
          (f32.mul (local.get $gs) (local.get $rest1))))
      (local.set $vs
        (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $beta2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $rest2))))
      (f32.store (i32.add (local.get $newM) (local.get $i)) (local.get $ms))
      (f32.store (i32.add (local.get $newV) (local.get $i)) (local.get $vs))
      (f32.store (i32.add (local.get $newW) (local.get $i))
        (f32.add
          (f32.mul
            (f32.div
              (f32.div (local.get $ms) (local.get $c1))
              (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $epsilon)))
            (local.get $negativeRate))
          (f32.load (i32.add (local.get $w) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $eachRest)))
  )

  ;; One step of RMSprop (no momentum term's centring), as tfjs's RMSPropOptimizer computes it
  ;; op by op, in the same float32 operations and order:
  ;;   s' = s·ρ + g²·(1 − ρ)      p' = p·momentum + (g·rate) / √(s' + ε)      w' = w − p'
  (func (export "rmspropStep")
    (param $w i32) (param $g i32) (param $s i32) (param $p i32)
    (param $newW i32) (param $newS i32) (param $newP i32) (param $count i32)
    (param $rho f32) (param $rest f32) (param $momentum f32) (param $epsilon f32) (param $rate f32)
    (local $i i32) (local $vectors i32) (local $bytes i32)
    (local $gv v128) (local $sv v128) (local $pv v128)
    (local $gs f32) (local $ss f32) (local $ps f32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    (local.set $vectors (i32.and (local.get $bytes) (i32.const -16)))
    (block $done (loop $eachVector
      (br_if $done (i32.ge_u (local.get $i) (local.get $vectors)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
      (local.set $sv
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $s) (local.get $i))) (f32x4.splat (local.get $rho)))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $rest)))))
      (local.set $pv
        (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $i))) (f32x4.splat (local.get $momentum)))
          (f32x4.div
            (f32x4.mul (local.get $gv) (f32x4.splat (local.get $rate)))
            (f32x4.sqrt (f32x4.add (local.get $sv) (f32x4.splat (local.get $epsilon)))))))
      (v128.store (i32.add (local.get $newS) (local.get $i)) (local.get $sv))
      (v128.store (i32.add (local.get $newP) (local.get $i)) (local.get $pv))
      (v128.store (i32.add (local.get $newW) (local.get $i))
        (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $pv)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $eachVector)))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $i) (local.get $bytes)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
      (local.set $ss
        (f32.add
          (f32.mul (f32.load (i32.add (local.get $s) (local.get $i))) (local.get $rho))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $rest))))
      (local.set $ps
        (f32.add
          (f32.mul (f32.load (i32.add (local.get $p) (local.get $i))) (local.get $momentum))
          (f32.div
            (f32.mul (local.get $gs) (local.get $rate))
            (f32.sqrt (f32.add (local.get $ss) (local.get $epsilon))))))
      (f32.store (i32.add (local.get $newS) (local.get $i)) (local.get $ss))
      (f32.store (i32.add (local.get $newP) (local.get $i)) (local.get $ps))
      (f32.store (i32.add (local.get $newW) (local.get $i))
        (f32.sub (f32.load (i32.add (local.get $w) (local.get $i))) (local.get $ps)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $eachRest)))
  )

  ;; C = A·B in float32, C [M, N] and B [K, N] row-major, K ≥ 1. A's value (i, p) is at
  ;; $a + i·$rowStep + p·$columnStep (bytes): A stored as [M, K] (rowStep 4K, columnStep 4), or
  ;; transposed, as [K, M] (rowStep 4, columnStep 4M), a Dense layer's xᵀ·dy without a copy.
  ;; Tiles of 4 rows × 8 columns keep their sums in registers over the whole of K, read a row of
  ;; B as two vectors and each A value as one splat: B is read in place, not packed, as the
  ;; wasm backend's XNNPACK does with every new right operand (a weight after each step). The
  ;; last M % 4 rows go one at a time, the last N % 8 columns four at a time, then one by one.
  ;; Every C value is the float32 sum a(i,0)·b(0,j) + a(i,1)·b(1,j) + … in that order, each
  ;; product and sum rounded to float32, whichever tile computes it (wasmKernels.ts, matMul).
  (func (export "matMul")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rowStep i32) (param $columnStep i32)
    (local $i i32) (local $j i32) (local $r i32) (local $ap i32) (local $cp i32) (local $rowBytes i32) (local $rows i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $allRows (loop $eachRows
      (br_if $allRows (i32.ge_u (local.get $i) (local.get $m)))
      ;; Four rows while four are left, then one.
      (local.set $rows (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))))
      (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowStep))))
      (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $j (i32.const 0))
      (block $allColumns (loop $eachEight
        (br_if $allColumns (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (if (i32.eq (local.get $rows) (i32.const 4))
          (then (call $tile4x8 (local.get $ap) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
            (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $rowStep) (local.get $columnStep) (local.get $rowBytes)))
          (else (call $tile1x8 (local.get $ap) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
            (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $rowStep) (local.get $columnStep) (local.get $rowBytes))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $eachEight)))
      (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))
        (then
          (if (i32.eq (local.get $rows) (i32.const 4))
            (then (call $tile4x4 (local.get $ap) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $rowStep) (local.get $columnStep) (local.get $rowBytes)))
            (else (call $tile1x4 (local.get $ap) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $rowStep) (local.get $columnStep) (local.get $rowBytes))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))))
      ;; The last N % 4 columns, a value at a time.
      (block $lastColumns (loop $eachColumn
        (br_if $lastColumns (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $r (i32.const 0))
        (loop $eachRow
          (f32.store
            (i32.add (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $rowBytes))) (i32.shl (local.get $j) (i32.const 2)))
            (call $dot (i32.add (local.get $ap) (i32.mul (local.get $r) (local.get $rowStep)))
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $columnStep) (local.get $rowBytes)))
          (br_if $eachRow (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $eachColumn)))
      (local.set $i (i32.add (local.get $i) (local.get $rows)))
      (br $eachRows)))
  )

  ;; One value of matMul's C: Σ over p of A(i, p)·B(p, j), A's values $columnStep bytes apart and
  ;; B's $rowBytes apart, K ≥ 1 terms, in order.
  (func $dot (param $a i32) (param $b i32) (param $k i32) (param $columnStep i32) (param $rowBytes i32) (result f32)
    (local $sum f32)
    (loop $eachTerm
      (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (local.get $columnStep)))
      (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
      (br_if $eachTerm (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $sum)
  )

  ;; matMul's tiles: R rows × 4·V columns of C at $c, from A's rows at $a, $a + rowStep, … and
  ;; B's columns from $b, over K ≥ 1 terms.
  (func $tile4x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rowStep i32) (param $columnStep i32) (param $rowBytes i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $s v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $rowStep)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rowStep)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rowStep)))
    (loop $eachTerm
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $s (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $columnStep)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $columnStep)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $columnStep)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $columnStep)))
      (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
      (br_if $eachTerm (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )

  (func $tile4x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rowStep i32) (param $columnStep i32) (param $rowBytes i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $s v128) (local $b0 v128)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $rowStep)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rowStep)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rowStep)))
    (loop $eachTerm
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $s (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $s (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $s (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $columnStep)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $columnStep)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $columnStep)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $columnStep)))
      (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
      (br_if $eachTerm (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c10))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c20))
    (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
    (v128.store (local.get $c) (local.get $c30))
  )

  (func $tile1x8
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rowStep i32) (param $columnStep i32) (param $rowBytes i32)
    (local $s v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128)
    (loop $eachTerm
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $columnStep)))
      (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
      (br_if $eachTerm (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
  )

  (func $tile1x4
    (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $rowStep i32) (param $columnStep i32) (param $rowBytes i32)
    (local $s v128) (local $b0 v128)
    (local $c00 v128)
    (loop $eachTerm
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $s (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $columnStep)))
      (local.set $b (i32.add (local.get $b) (local.get $rowBytes)))
      (br_if $eachTerm (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
  )


  ;; How many of the $count float32 at $x are not zero (a NaN counts as not zero), four at a time.
  (func (export "nonzeroCount") (param $x i32) (param $count i32) (result i32)
    (local $end i32) (local $lanes v128) (local $total i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone (loop $eachVector
      (br_if $vectorsDone (i32.ge_u (local.get $x) (local.get $end)))
      ;; A lane that is not zero is all ones, -1: subtracting it counts it.
      (local.set $lanes (i32x4.sub (local.get $lanes) (f32x4.ne (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $eachVector)))
    (local.set $total (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $lanes)) (i32x4.extract_lane 1 (local.get $lanes)))
      (i32.add (i32x4.extract_lane 2 (local.get $lanes)) (i32x4.extract_lane 3 (local.get $lanes)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 3)) (i32.const 2))))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $total (i32.add (local.get $total) (f32.ne (f32.load (local.get $x)) (f32.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $eachRest)))
    (local.get $total)
  )

  ;; 1 if none of the $count float32 at $x is an infinity or a NaN, else 0: those, and only
  ;; those, have every exponent bit set. Each lane's test (all ones where it has) is or-ed into
  ;; one vector, two vectors a step (a sum of x·0, as before, waited on each add).
  (func (export "allFinite") (param $x i32) (param $count i32) (result i32)
    (local $end i32) (local $found v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $count) (i32.const -8)) (i32.const 2))))
    (block $pairsDone (loop $eachPair
      (br_if $pairsDone (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $found (v128.or (local.get $found)
        (v128.or
          (i32x4.eq (v128.and (v128.load (local.get $x)) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
          (i32x4.eq (v128.and (v128.load offset=16 (local.get $x)) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (br $eachPair)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 7)) (i32.const 2))))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $x) (local.get $end)))
      (if (i32.eq (i32.and (i32.load (local.get $x)) (i32.const 0x7f800000)) (i32.const 0x7f800000))
        (then (return (i32.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $eachRest)))
    (i32.eqz (v128.any_true (local.get $found)))
  )

  ;; matMul for an A that is mostly zeros (a batch of MNIST images is four fifths zeros): for
  ;; each row of A, the terms whose A value is not zero are listed (8 bytes each: the byte
  ;; offset of B's row, then the A value), and C's row is summed over that list only, 32 columns
  ;; at a time in registers. A zero term adds ±0 to a sum that starts at +0, which changes no
  ;; sum, so C is matMul's to the bit wherever B is finite (0·∞ is NaN: the caller checks B
  ;; first). A stored transposed ([K, M], rowStep 4) is read four rows at a time, one vector per
  ;; term, into four lists. $list has room for 4·K entries.
  (func (export "matMulSparse")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (param $rowStep i32) (param $columnStep i32) (param $list i32)
    (local $i i32) (local $ap i32) (local $cp i32) (local $rowBytes i32) (local $listBytes i32)
    (local $end0 i32) (local $end1 i32) (local $end2 i32) (local $end3 i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $listBytes (i32.shl (local.get $k) (i32.const 3)))
    (block $allRows (loop $eachRow
      (br_if $allRows (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowStep))))
      (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowBytes))))
      (if (i32.and (i32.eq (local.get $rowStep) (i32.const 4)) (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (then
          ;; Four rows of a transposed A: their values for a term are neighbours in memory.
          (call $listFour (local.get $ap) (local.get $columnStep) (i32.const 1) (local.get $k) (i32.const 0) (local.get $rowBytes)
            (local.get $list) (local.get $listBytes))
          local.set $end3 local.set $end2 local.set $end1 local.set $end0
          (call $sparseRow (local.get $list) (local.get $end0) (local.get $b) (local.get $cp) (local.get $n) (i32.const 0))
          (call $sparseRow (i32.add (local.get $list) (local.get $listBytes)) (local.get $end1) (local.get $b)
            (i32.add (local.get $cp) (local.get $rowBytes)) (local.get $n) (i32.const 0))
          (call $sparseRow (i32.add (local.get $list) (i32.shl (local.get $listBytes) (i32.const 1))) (local.get $end2) (local.get $b)
            (i32.add (local.get $cp) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $n) (i32.const 0))
          (call $sparseRow (i32.add (local.get $list) (i32.mul (local.get $listBytes) (i32.const 3))) (local.get $end3) (local.get $b)
            (i32.add (local.get $cp) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $n) (i32.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $eachRow)))
      (call $sparseRow (local.get $list)
        (call $listRow (local.get $ap) (local.get $k) (local.get $columnStep) (local.get $rowBytes) (local.get $list))
        (local.get $b) (local.get $cp) (local.get $n) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $eachRow)))
  )

  ;; dL/dW of a convolution, for one image whose dy is mostly zeros (max pooling passes a
  ;; window's gradient to one pixel of four): for each filter o, dy's values at the positions
  ;; (i, j) where they are not zero are listed with the byte offset of the patch they multiply
  ;; (i·$rowBytes + j·$columnBytes into the image at $x, padded as the forward pass padded it),
  ;; and row o of dWᵀ ([O, kh, kw·C] at $out) gets, for each tap row a, the sum over that list
  ;; of value × x's kw·C values ($segment) at the patch's row a ($tapBytes apart). Each sum
  ;; starts at +0 and is added to what $out holds, as filterGradientRows adds its sums: with x
  ;; finite (the caller checks), the bits are that loop's. $filters % 4 == 0; $list has room
  ;; for 4·Ho·Wo entries, $scratch for one row of dWᵀ (kh·kw·C values).
  (func (export "filterGradientSparse")
    (param $x i32) (param $dy i32) (param $out i32) (param $outHeight i32) (param $outWidth i32) (param $filters i32)
    (param $rowBytes i32) (param $columnBytes i32) (param $taps i32) (param $tapBytes i32) (param $segment i32) (param $list i32)
    (param $scratch i32)
    (local $o i32) (local $listBytes i32) (local $filterBytes i32) (local $at i32)
    (local $end0 i32) (local $end1 i32) (local $end2 i32) (local $end3 i32)
    (local.set $listBytes (i32.shl (i32.mul (local.get $outHeight) (local.get $outWidth)) (i32.const 3)))
    ;; One row of dWᵀ: kh·kw·C values.
    (local.set $filterBytes (i32.shl (i32.mul (local.get $taps) (local.get $segment)) (i32.const 2)))
    (block $filtersDone (loop $eachFour
      (br_if $filtersDone (i32.ge_u (local.get $o) (local.get $filters)))
      (call $listFour (i32.add (local.get $dy) (i32.shl (local.get $o) (i32.const 2))) (i32.shl (local.get $filters) (i32.const 2))
        (local.get $outHeight) (local.get $outWidth) (local.get $rowBytes) (local.get $columnBytes) (local.get $list) (local.get $listBytes))
      local.set $end3 local.set $end2 local.set $end1 local.set $end0
      (local.set $at (i32.add (local.get $out) (i32.mul (local.get $o) (local.get $filterBytes))))
      (call $sparseTaps (local.get $list) (local.get $end0) (local.get $x) (local.get $tapBytes) (local.get $at)
        (local.get $segment) (local.get $taps) (local.get $scratch))
      (call $sparseTaps (i32.add (local.get $list) (local.get $listBytes)) (local.get $end1) (local.get $x) (local.get $tapBytes)
        (i32.add (local.get $at) (local.get $filterBytes)) (local.get $segment) (local.get $taps) (local.get $scratch))
      (call $sparseTaps (i32.add (local.get $list) (i32.shl (local.get $listBytes) (i32.const 1))) (local.get $end2) (local.get $x) (local.get $tapBytes)
        (i32.add (local.get $at) (i32.shl (local.get $filterBytes) (i32.const 1))) (local.get $segment) (local.get $taps) (local.get $scratch))
      (call $sparseTaps (i32.add (local.get $list) (i32.mul (local.get $listBytes) (i32.const 3))) (local.get $end3) (local.get $x) (local.get $tapBytes)
        (i32.add (local.get $at) (i32.mul (local.get $filterBytes) (i32.const 3))) (local.get $segment) (local.get $taps) (local.get $scratch))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $eachFour)))
  )

  ;; dL/dx of a convolution, for one image whose dy is mostly zeros: for each position (i, j),
  ;; dy's filters there that are not zero are listed (with the byte offset of row o of the
  ;; filter turned to [O, kh, kw·C] at $w), and for each tap row a the sum over that list of
  ;; value × that row's kw·C values is added to dx's kw·C values at row i·sh + a, from column
  ;; j·sw ($dx, padded as the forward pass padded x: the caller crops it; $rowBytes and
  ;; $columnBytes step i and j, $tapBytes is one row of it). $list has room for O entries.
  (func (export "inputGradientSparse")
    (param $dy i32) (param $w i32) (param $dx i32) (param $outHeight i32) (param $outWidth i32) (param $filters i32)
    (param $rowBytes i32) (param $columnBytes i32) (param $taps i32) (param $tapBytes i32) (param $segment i32) (param $list i32)
    (local $i i32) (local $j i32) (local $row i32) (local $at i32) (local $filterBytes i32) (local $dyStep i32) (local $end i32)
    (local.set $filterBytes (i32.shl (i32.mul (local.get $taps) (local.get $segment)) (i32.const 2)))
    (local.set $dyStep (i32.shl (local.get $filters) (i32.const 2)))
    (local.set $row (local.get $dx))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $outHeight)))
      (local.set $at (local.get $row))
      (local.set $j (i32.const 0))
      (block $columnsDone (loop $eachColumn
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $outWidth)))
        ;; The dx rows a position reaches are $tapBytes apart; the filter's, $segment values. A
        ;; position whose filters are all zero (most of them, behind max pooling) adds nothing.
        (local.set $end (call $listRow (local.get $dy) (local.get $filters) (i32.const 4) (local.get $filterBytes) (local.get $list)))
        (if (i32.ne (local.get $end) (local.get $list))
          (then
            (call $sparseTapsInto (local.get $list) (local.get $end)
              (local.get $w) (i32.shl (local.get $segment) (i32.const 2)) (local.get $at) (local.get $tapBytes)
              (local.get $segment) (local.get $taps) (i32.const 1))))
        (local.set $dy (i32.add (local.get $dy) (local.get $dyStep)))
        (local.set $at (i32.add (local.get $at) (local.get $columnBytes)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $eachColumn)))
      (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $eachRow)))
  )

  ;; The sparse loops' lists of terms (8 bytes each: an offset, then a value). Four lists, one
  ;; per lane, from $height × $width vectors $step bytes apart from $a, the vector at (i, j)
  ;; with offset i·$rowBytes + j·$columnBytes; the lists start $listBytes apart from $q0, and
  ;; their ends are returned. Writes are branchless: each lane's entry is written, and kept
  ;; (its list moves on 8 bytes) where its value is not zero.
  (func $listFour
    (param $a i32) (param $step i32) (param $height i32) (param $width i32) (param $rowBytes i32) (param $columnBytes i32)
    (param $q0 i32) (param $listBytes i32) (result i32 i32 i32 i32)
    (local $i i32) (local $j i32) (local $offset i32) (local $rowOffset i32) (local $x v128) (local $nonzero v128)
    (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local.set $q1 (i32.add (local.get $q0) (local.get $listBytes)))
    (local.set $q2 (i32.add (local.get $q1) (local.get $listBytes)))
    (local.set $q3 (i32.add (local.get $q2) (local.get $listBytes)))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $height)))
      (local.set $offset (local.get $rowOffset))
      (local.set $j (i32.const 0))
      (block $termsDone (loop $eachTerm
        (br_if $termsDone (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $x (v128.load (local.get $a)))
        (local.set $nonzero (f32x4.ne (local.get $x) (v128.const f32x4 0 0 0 0)))
        (if (v128.any_true (local.get $nonzero))
          (then
            (i32.store (local.get $q0) (local.get $offset))
            (f32.store offset=4 (local.get $q0) (f32x4.extract_lane 0 (local.get $x)))
            (local.set $q0 (i32.add (local.get $q0) (i32.and (i32x4.extract_lane 0 (local.get $nonzero)) (i32.const 8))))
            (i32.store (local.get $q1) (local.get $offset))
            (f32.store offset=4 (local.get $q1) (f32x4.extract_lane 1 (local.get $x)))
            (local.set $q1 (i32.add (local.get $q1) (i32.and (i32x4.extract_lane 1 (local.get $nonzero)) (i32.const 8))))
            (i32.store (local.get $q2) (local.get $offset))
            (f32.store offset=4 (local.get $q2) (f32x4.extract_lane 2 (local.get $x)))
            (local.set $q2 (i32.add (local.get $q2) (i32.and (i32x4.extract_lane 2 (local.get $nonzero)) (i32.const 8))))
            (i32.store (local.get $q3) (local.get $offset))
            (f32.store offset=4 (local.get $q3) (f32x4.extract_lane 3 (local.get $x)))
            (local.set $q3 (i32.add (local.get $q3) (i32.and (i32x4.extract_lane 3 (local.get $nonzero)) (i32.const 8))))))
        (local.set $a (i32.add (local.get $a) (local.get $step)))
        (local.set $offset (i32.add (local.get $offset) (local.get $columnBytes)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $eachTerm)))
      (local.set $rowOffset (i32.add (local.get $rowOffset) (local.get $rowBytes)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $eachRow)))
    (local.get $q0) (local.get $q1) (local.get $q2) (local.get $q3)
  )

  ;; One list of terms from the $k values $columnStep bytes apart at $ap, the p-th with offset
  ;; p·$offsetStep, into $q; returns its end. Values stored in order are passed over four at a
  ;; time where all four are zero.
  (func $listRow (param $ap i32) (param $k i32) (param $columnStep i32) (param $offsetStep i32) (param $q i32) (result i32)
    (local $p i32) (local $v f32) (local $lane i32)
    (if (i32.eq (local.get $columnStep) (i32.const 4))
      (then
        (block $quadsDone (loop $eachQuad
          (br_if $quadsDone (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $k)))
          (if (v128.any_true (f32x4.ne (v128.load (local.get $ap)) (v128.const f32x4 0 0 0 0)))
            (then
              (local.set $lane (i32.const 0))
              (loop $eachLane
                (local.set $v (f32.load (i32.add (local.get $ap) (i32.shl (local.get $lane) (i32.const 2)))))
                (i32.store (local.get $q) (i32.mul (i32.add (local.get $p) (local.get $lane)) (local.get $offsetStep)))
                (f32.store offset=4 (local.get $q) (local.get $v))
                (local.set $q (i32.add (local.get $q) (i32.shl (f32.ne (local.get $v) (f32.const 0)) (i32.const 3))))
                (br_if $eachLane (i32.lt_u (local.tee $lane (i32.add (local.get $lane) (i32.const 1))) (i32.const 4))))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $eachQuad)))))
    (block $termsDone (loop $eachTerm
      (br_if $termsDone (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $v (f32.load (local.get $ap)))
      (i32.store (local.get $q) (i32.mul (local.get $p) (local.get $offsetStep)))
      (f32.store offset=4 (local.get $q) (local.get $v))
      (local.set $q (i32.add (local.get $q) (i32.shl (f32.ne (local.get $v) (f32.const 0)) (i32.const 3))))
      (local.set $ap (i32.add (local.get $ap) (local.get $columnStep)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $eachTerm)))
    (local.get $q)
  )

  ;; $taps segments of $segment values, each summed from +0 over the terms from $q to $end into
  ;; $scratch, then added to what is at $c, as filterGradientRows adds its sums: segment a's B
  ;; values from $b + a·$tapBytes, its sums at $c + a·$segment·4.
  (func $sparseTaps (param $q i32) (param $end i32) (param $b i32) (param $tapBytes i32) (param $c i32) (param $segment i32) (param $taps i32)
    (param $scratch i32)
    (local $count i32)
    (call $sparseTapsInto (local.get $q) (local.get $end) (local.get $b) (local.get $tapBytes) (local.get $scratch)
      (i32.shl (local.get $segment) (i32.const 2)) (local.get $segment) (local.get $taps) (i32.const 0))
    (local.set $count (i32.mul (local.get $segment) (local.get $taps)))
    (call $addInto (local.get $scratch) (local.get $c) (local.get $count))
  )

  ;; $count float32 at $from added to those at $to: to + from, four at a time.
  (func $addInto (param $from i32) (param $to i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $from) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone (loop $eachVector
      (br_if $vectorsDone (i32.ge_u (local.get $from) (local.get $end)))
      (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to)) (v128.load (local.get $from))))
      (local.set $from (i32.add (local.get $from) (i32.const 16)))
      (local.set $to (i32.add (local.get $to) (i32.const 16)))
      (br $eachVector)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 3)) (i32.const 2))))
    (block $restDone (loop $eachRest
      (br_if $restDone (i32.ge_u (local.get $from) (local.get $end)))
      (f32.store (local.get $to) (f32.add (f32.load (local.get $to)) (f32.load (local.get $from))))
      (local.set $from (i32.add (local.get $from) (i32.const 4)))
      (local.set $to (i32.add (local.get $to) (i32.const 4)))
      (br $eachRest)))
  )

  ;; $taps segments of $segment values summed over the terms from $q to $end: segment a's B
  ;; values from $b + a·$bStep, its sums at $c + a·$cStep, each sum starting from +0, or from
  ;; what is at $c where $add is 1.
  (func $sparseTapsInto (param $q i32) (param $end i32) (param $b i32) (param $bStep i32) (param $c i32) (param $cStep i32)
    (param $segment i32) (param $taps i32) (param $add i32)
    (block $tapsDone (loop $eachTap
      (br_if $tapsDone (i32.eqz (local.get $taps)))
      (call $sparseRow (local.get $q) (local.get $end) (local.get $b) (local.get $c) (local.get $segment) (local.get $add))
      (local.set $b (i32.add (local.get $b) (local.get $bStep)))
      (local.set $c (i32.add (local.get $c) (local.get $cStep)))
      (local.set $taps (i32.sub (local.get $taps) (i32.const 1)))
      (br $eachTap)))
  )

  ;; C's row of N values at $c, each summed over the terms listed from $q to $end (B's columns
  ;; from $b), from +0, or from what is there where $add is 1. (Adding the sums to what is there
  ;; after the loop instead, behind a branch, made V8 keep the sums out of registers: the sparse
  ;; products took 1.2-1.4 times as long.)
  (func $sparseRow (param $q i32) (param $end i32) (param $b i32) (param $c i32) (param $n i32) (param $add i32)
    (local $j i32) (local $at i32)
    (block $thirtyTwosDone (loop $eachThirtyTwo
      (br_if $thirtyTwosDone (i32.gt_u (i32.add (local.get $j) (i32.const 32)) (local.get $n)))
      (call $sparseRow32 (local.get $q) (local.get $end) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $add))
      (local.set $j (i32.add (local.get $j) (i32.const 32)))
      (br $eachThirtyTwo)))
    (block $foursDone (loop $eachFour
      (br_if $foursDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (call $sparseRow4 (local.get $q) (local.get $end) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $add))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $eachFour)))
    (block $columnsDone (loop $eachColumn
      (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $at (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
      (f32.store (local.get $at) (call $sparseDot (local.get $q) (local.get $end) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
        (select (f32.load (local.get $at)) (f32.const 0) (local.get $add))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $eachColumn)))
  )

  ;; matMulSparse's pieces: 32, 4 or 1 values of C's row at $c (B's columns from $b), summed
  ;; over the list of terms from $q to $end, from +0 or (where $add is 1) from what is at $c.
  (func $sparseRow32 (param $q i32) (param $end i32) (param $b i32) (param $c i32) (param $add i32)
    (local $s v128) (local $row i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local.set $c0 (select (v128.load offset=0 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c1 (select (v128.load offset=16 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c2 (select (v128.load offset=32 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c3 (select (v128.load offset=48 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c4 (select (v128.load offset=64 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c5 (select (v128.load offset=80 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c6 (select (v128.load offset=96 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (local.set $c7 (select (v128.load offset=112 (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (block $termsDone (loop $eachTerm
      (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
      (local.set $row (i32.add (local.get $b) (i32.load (local.get $q))))
      (local.set $s (v128.load32_splat offset=4 (local.get $q)))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $row)))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $row)))))
      (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $row)))))
      (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $row)))))
      (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $row)))))
      (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $row)))))
      (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $row)))))
      (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $row)))))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br $eachTerm)))
    (v128.store (local.get $c) (local.get $c0))
    (v128.store offset=16 (local.get $c) (local.get $c1))
    (v128.store offset=32 (local.get $c) (local.get $c2))
    (v128.store offset=48 (local.get $c) (local.get $c3))
    (v128.store offset=64 (local.get $c) (local.get $c4))
    (v128.store offset=80 (local.get $c) (local.get $c5))
    (v128.store offset=96 (local.get $c) (local.get $c6))
    (v128.store offset=112 (local.get $c) (local.get $c7))
  )

  (func $sparseRow4 (param $q i32) (param $end i32) (param $b i32) (param $c i32) (param $add i32)
    (local $c0 v128)
    (local.set $c0 (select (v128.load (local.get $c)) (v128.const i64x2 0 0) (local.get $add)))
    (block $termsDone (loop $eachTerm
      (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
      (local.set $c0 (f32x4.add (local.get $c0)
        (f32x4.mul (v128.load32_splat offset=4 (local.get $q)) (v128.load (i32.add (local.get $b) (i32.load (local.get $q)))))))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br $eachTerm)))
    (v128.store (local.get $c) (local.get $c0))
  )

  (func $sparseDot (param $q i32) (param $end i32) (param $b i32) (param $sum f32) (result f32)
    (block $termsDone (loop $eachTerm
      (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
      (local.set $sum (f32.add (local.get $sum)
        (f32.mul (f32.load offset=4 (local.get $q)) (f32.load (i32.add (local.get $b) (i32.load (local.get $q)))))))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br $eachTerm)))
    (local.get $sum)
  )

)
