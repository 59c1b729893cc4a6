;; The value count's fast pass (src/input/value-budget.ts, `countAll`) with WebAssembly SIMD: how many bytes
;; of [ptr, ptr + len) are `{`, `[` or `,`, sixteen bytes at a time. The caller copies the input into this
;; module's memory a chunk at a time (at most `CHUNK_BYTES` in value-budget.ts, 64 KiB: one page) and adds
;; the counts. `npm run build` compiles this file into count-values.wasm.ts (scripts/build-wasm.js); a test
;; checks that the two agree.
(module
  (memory (export "memory") 1)
  (func (export "count") (param $ptr i32) (param $len i32) (result i32)
    (local $end i32)  ;; end of the whole 16-byte blocks
    (local $stop i32) ;; end of this run of blocks
    (local $acc v128) ;; this run's count in each of the 16 byte lanes
    (local $sum v128) ;; the count so far in each of 4 lanes of 32 bits
    (local $v v128)
    (local $b i32)
    (local $n i32)    ;; the tail's count
    (local.set $end (i32.add (local.get $ptr) (i32.and (local.get $len) (i32.const -16))))
    (block $blocks_done
      (loop $runs
        (br_if $blocks_done (i32.ge_u (local.get $ptr) (local.get $end)))
        ;; A run is at most 255 blocks, so that no byte lane of $acc passes 255.
        (local.set $stop (i32.add (local.get $ptr) (i32.const 4080)))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (loop $block
          (local.set $v (v128.load align=1 (local.get $ptr)))
          ;; `{` (0x7b) and `[` (0x5b) differ only in bit 0x20, and no other byte ORed with it gives 0x7b.
          ;; A match is 0xff (-1) in its lane: subtracting it adds one.
          (local.set $acc
            (i8x16.sub (local.get $acc)
              (v128.or
                (i8x16.eq
                  (v128.or (local.get $v) (v128.const i8x16 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20))
                  (v128.const i8x16 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b 0x7b))
                (i8x16.eq (local.get $v) (v128.const i8x16 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c 0x2c)))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
          (br_if $block (i32.lt_u (local.get $ptr) (local.get $stop))))
        ;; Widen the run's byte counts to 32-bit lanes and add them.
        (local.set $sum
          (i32x4.add (local.get $sum)
            (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $acc)))))
        (br $runs)))
    ;; The last len % 16 bytes, one at a time.
    (local.set $end (i32.add (local.get $ptr) (i32.and (local.get $len) (i32.const 15))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $ptr)))
        (if (i32.or (i32.eq (i32.or (local.get $b) (i32.const 0x20)) (i32.const 0x7b)) (i32.eq (local.get $b) (i32.const 0x2c)))
          (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $tail)))
    (i32.add (local.get $n)
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $sum)) (i32x4.extract_lane 1 (local.get $sum)))
        (i32.add (i32x4.extract_lane 2 (local.get $sum)) (i32x4.extract_lane 3 (local.get $sum)))))))
