import { parentPort } from 'node:worker_threads';
import { toErrorValue } from '../../../../shared/domain/errors';
import { decodeFrameJob } from './decodeFrameJob';
import type { FrameJob } from './frameJob';
import { decodePlaneJob, type PlaneJob } from './planeJob';

/**
 * A decode worker, one job at a time: a frame job answers with the decoded pixels (their buffer
 * transferred, not copied); a plane job writes into the volume's shared memory and answers with nothing.
 */
export type WorkerRequest = { id: number; job: FrameJob } | { id: number; plane: PlaneJob };

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    const { id } = request;
    const fail = (error: unknown) => port.postMessage({ id, ok: false, error: toErrorValue(error) });
    if ('plane' in request) {
      decodePlaneJob(request.plane).then(() => port.postMessage({ id, ok: true }), fail);
      return;
    }
    decodeFrameJob(request.job).then((frame) => port.postMessage({ id, ok: true, frame }, [frame.pixels.buffer as ArrayBuffer]), fail);
  });
}
