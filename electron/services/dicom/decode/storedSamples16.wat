;; Stored values of 16-bit samples (PS3.5 8.1.1) plus an integer addend (a CT's Rescale Intercept),
;; eight samples per instruction. Source of the bytes in storedSamples16Wasm.ts; regenerate with
;;   wat2wasm electron/services/dicom/decode/storedSamples16.wat --output=- | base64 -w0
;; (storedSamples16.test.ts checks that the two agree).
(module
  (memory (export "memory") 1)
  ;; For `count` samples at byte offset `ptr` (16-byte aligned, count a multiple of 8):
  ;;   v = ((v << left) >> right) + addend, modulo 2^16,
  ;; with an arithmetic shift right when `signed` is not 0, else a logical one. With left = 15 - High Bit
  ;; and right = 16 - Bits Stored this keeps the Bits Stored bits ending at High Bit, sign-extended when
  ;; Pixel Representation is 1.
  (func (export "storedPlusAddend")
    (param $ptr i32) (param $count i32) (param $left i32) (param $right i32) (param $signed i32) (param $addend i32)
    (local $end i32) (local $add v128)
    (local.set $add (i16x8.splat (local.get $addend)))
    (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $count) (i32.const 1))))
    (if (local.get $signed)
      (then
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
            (v128.store (local.get $ptr)
              (i16x8.add
                (i16x8.shr_s (i16x8.shl (v128.load (local.get $ptr)) (local.get $left)) (local.get $right))
                (local.get $add)))
            (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
            (br $next))))
      (else
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
            (v128.store (local.get $ptr)
              (i16x8.add
                (i16x8.shr_u (i16x8.shl (v128.load (local.get $ptr)) (local.get $left)) (local.get $right))
                (local.get $add)))
            (local.set $ptr (i32.add (local.get $ptr) (i32.const 16)))
            (br $next)))))))
