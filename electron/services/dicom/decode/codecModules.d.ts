/**
 * Types for the WASM codec packages, which ship none. Each is an Emscripten module factory; only what
 * Lumen calls is declared. Buffers returned by get*Buffer are views into the WASM heap: copy them out
 * before the decoder is deleted or the heap grows.
 */
interface EmscriptenCodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface EmscriptenCodecDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): EmscriptenCodecFrameInfo;
  decode(): void;
  delete(): void;
}

interface CharlsDecoder extends EmscriptenCodecDecoder {
  /** 0: none (planes), 1: line, 2: sample (ITU-T T.87 interleave modes). */
  getInterleaveMode(): number;
  getNearLossless(): number;
}

interface HtJ2kDecoder extends EmscriptenCodecDecoder {
  decodeSubResolution(level: number): void;
}

interface EmscriptenModuleOptions {
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{
    JpegLSDecoder: new () => CharlsDecoder;
    getExceptionMessage(pointer: number): string;
  }>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{ JPEGDecoder: new () => EmscriptenCodecDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{ J2KDecoder: new () => EmscriptenCodecDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: (options?: EmscriptenModuleOptions) => Promise<{ HTJ2KDecoder: new () => HtJ2kDecoder }>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** numBytes: bytes per output sample (1 or 2). Returns the samples, interleaved for colour. */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  }
}
