import { parentPort, workerData } from 'node:worker_threads';
import { toErrorValue } from '../../../../shared/domain/errors';
import { decodeFrameJob } from './decodeFrameJob';
import type { FrameJob } from './frameJob';
import { decodePlaneJob, type PlaneJob } from './planeJob';
import { charls, libjpegTurbo, openJpeg, openJph } from './wasmCodecs';

/**
 * A decode worker, one job at a time: a frame job answers with the decoded pixels (their buffer
 * transferred, not copied); a plane job writes into the volume's shared memory and answers with nothing.
 */
export type WorkerRequest = { id: number; job: FrameJob } | { id: number; plane: PlaneJob };

/** workerData of a worker started ahead of need (pool.warm()). */
export interface WorkerOptions {
  preloadCodecs: boolean;
}

// A warmed worker instantiates its WASM codecs now (20-360 ms each), so the first frame a user opens
// does not pay for it; a failure here surfaces again, typed, when a frame needs that codec.
const port = parentPort;
if ((workerData as WorkerOptions | undefined)?.preloadCodecs) {
  void Promise.allSettled([charls, openJpeg, libjpegTurbo, openJph].map((load) => load())).then(() => port?.postMessage({ ready: true }));
}
// The pool may hand a worker its next plane before the current one ends; jobs run one after the other, as
// they share the worker's scratch buffers and codec instances.
let previous: Promise<void> = Promise.resolve();
function run(request: WorkerRequest, port: NonNullable<typeof parentPort>): Promise<void> {
  const { id } = request;
  const fail = (error: unknown) => port.postMessage({ id, ok: false, error: toErrorValue(error) });
  if ('plane' in request) return decodePlaneJob(request.plane).then(() => port.postMessage({ id, ok: true }), fail);
  return decodeFrameJob(request.job).then((frame) => port.postMessage({ id, ok: true, frame }, [frame.pixels.buffer as ArrayBuffer]), fail);
}
if (port) {
  port.on('message', (request: WorkerRequest) => {
    previous = previous.then(() => run(request, port));
  });
}
