import charlsFactory from '@cornerstonejs/codec-charls/decodewasmjs';
import libjpegTurboFactory from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import openJpegFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import openJphFactory from '@cornerstonejs/codec-openjph/wasmjs';
import { scratchBytes } from './scratchBuffers';

/**
 * The WASM codec modules, each instantiated once per thread on first use (instantiation costs 20-360 ms,
 * so a worker keeps them). Their stdout is silenced: OpenJPEG prints [INFO] lines for every frame.
 */
// A fresh object per module: Emscripten uses the options object as the module itself and adds to it.
const quiet = (): EmscriptenModuleOptions => ({ print: () => {}, printErr: () => {} });

function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export const charls = lazy(() => charlsFactory(quiet()));
export const libjpegTurbo = lazy(() => libjpegTurboFactory(quiet()));
export const openJpeg = lazy(() => openJpegFactory(quiet()));
export const openJph = lazy(() => openJphFactory(quiet()));

/** Result of a WASM decode, copied out of the WASM heap. */
export interface CodecOutput {
  bytes: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/**
 * Runs one decoder: copies the encoded frame into the heap, decodes, copies the result out, frees the
 * decoder. `decode` lets a codec call its own entry point (HTJ2K decodes by resolution level).
 */
export function runWasmDecoder<D extends EmscriptenCodecDecoder>(
  decoder: D,
  encoded: Uint8Array,
  decode: (d: D) => void = (d) => d.decode(),
  inspect?: (d: D) => void,
): CodecOutput {
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decode(decoder);
    const info = decoder.getFrameInfo();
    inspect?.(decoder);
    const decoded = decoder.getDecodedBuffer();
    // Copied out of the WASM heap before the decoder frees it: into a plane job's scratch, else a new array.
    const scratch = scratchBytes('codec', decoded.length);
    scratch?.set(decoded);
    return {
      bytes: scratch ?? decoded.slice(),
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      componentCount: info.componentCount,
      isSigned: info.isSigned === true,
    };
  } finally {
    decoder.delete();
  }
}
