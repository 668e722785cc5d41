import type { SampleType } from '../../../shared/ipc/contract';
import { call } from './client';

/**
 * The data channel: frames as binary over `fetch` (lumen://app/data in the app, loopback HTTP with the
 * harness token in the browser), never through JSON or structured clone. Part of the api module, the
 * renderer's only door to the back end.
 */
export type SampleArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

export interface Frame {
  sampleType: SampleType;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  samples: SampleArray;
}

let channel: Promise<{ baseUrl: string; token: string | null }> | null = null;

function dataChannel() {
  channel ??= call('app', 'getDataChannel', {}).then((r) => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  return channel;
}

const ARRAYS = { uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, float32: Float32Array } as const;

export class FrameError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchFrame(seriesInstanceUid: string, frame: number, signal?: AbortSignal): Promise<Frame> {
  const { baseUrl, token } = await dataChannel();
  const response = await fetch(`${baseUrl}/pixels/${encodeURIComponent(seriesInstanceUid)}/${frame}`, {
    headers: token ? { 'X-Lumen-Token': token } : {},
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new FrameError(body?.code ?? 'DATA_CHANNEL_ERROR', body?.message ?? `Frame ${frame} could not be loaded.`);
  }
  const sampleType = response.headers.get('X-Lumen-Sample-Type') as SampleType;
  const buffer = await response.arrayBuffer();
  return {
    sampleType,
    rows: Number(response.headers.get('X-Lumen-Rows')),
    columns: Number(response.headers.get('X-Lumen-Columns')),
    samplesPerPixel: Number(response.headers.get('X-Lumen-Samples-Per-Pixel')),
    samples: new ARRAYS[sampleType](buffer),
  };
}
