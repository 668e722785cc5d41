import { LumenError } from '../../../shared/domain/errors';
import type { ViewerService } from './viewerService';

/**
 * The data channel's routes, shared by both hosts (lumen://app/data/... in the app, /data/... over
 * loopback HTTP in the harness): binary pixels, never JSON. `pixels/<series>/<frame>` answers a
 * frame's samples with their layout in headers.
 */
export interface DataResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

export const DATA_PREFIX = '/data/';

export async function handleDataRequest(viewer: ViewerService, pathname: string): Promise<DataResponse> {
  const match = /^\/data\/pixels\/([0-9.]{1,128})\/(\d{1,7})$/.exec(pathname);
  if (!match) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'not found' };
  try {
    const frame = await viewer.frame(match[1]!, Number(match[2]));
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-Lumen-Sample-Type': frame.sampleType,
        'X-Lumen-Rows': String(frame.rows),
        'X-Lumen-Columns': String(frame.columns),
        'X-Lumen-Samples-Per-Pixel': String(frame.samplesPerPixel),
        // Little-endian on every platform Lumen ships for; said explicitly for readers.
        'X-Lumen-Byte-Order': 'little-endian',
        'Cache-Control': 'no-store',
      },
      // A volume's planes live in shared memory, which fetch's Response refuses: such a plane goes out as a copy.
      body: frame.bytes.buffer instanceof SharedArrayBuffer ? frame.bytes.slice() : frame.bytes,
    };
  } catch (error) {
    const code = error instanceof LumenError ? error.code : 'INTERNAL_ERROR';
    const message = error instanceof LumenError ? error.message : 'The frame could not be produced.';
    // A damaged file is the data's fault, not the server's: 422, so only real faults read as 500.
    const status = code === 'VIEWER_FRAME_OUT_OF_RANGE' || code === 'VIEWER_SERIES_NOT_OPEN' ? 404 : code.startsWith('DICOM_') ? 422 : 500;
    return { status, headers: { 'Content-Type': 'application/json', 'X-Lumen-Error': code }, body: JSON.stringify({ code, message }) };
  }
}
