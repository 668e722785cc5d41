import { parentPort } from 'node:worker_threads';
import { toErrorValue } from '../../../../shared/domain/errors';
import { decodeFrameJob } from './decodeFrameJob';
import type { FrameJob } from './frameJob';

/** A decode worker: one frame job at a time; the decoded pixels' buffer is transferred back, not copied. */
export interface WorkerRequest {
  id: number;
  job: FrameJob;
}

const port = parentPort;
if (port) {
  port.on('message', ({ id, job }: WorkerRequest) => {
    decodeFrameJob(job).then(
      (frame) => port.postMessage({ id, ok: true, frame }, [frame.pixels.buffer as ArrayBuffer]),
      (error: unknown) => port.postMessage({ id, ok: false, error: toErrorValue(error) }),
    );
  });
}
