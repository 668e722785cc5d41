import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LumenError, type ErrorValue } from '../../../../shared/domain/errors';
import { dicomError } from '../dicomError';
import type { DecodedFrame, ParsedDicom } from '../types';
import { frameJob, type FrameJob } from './frameJob';
import type { WorkerOptions, WorkerRequest } from './decodeWorker';
import type { PlaneJob } from './planeJob';

export interface DecodePoolOptions {
  /** Worker threads; default: defaultPoolSize(). */
  size?: number;
  /** The workers' entry file; default decodeWorker. Tests of the scheduling give a stand-in. */
  workerScript?: string;
}

export interface DecodeOptions {
  /** Aborting removes a frame still waiting in the pool's queue; one a worker holds (at most two a worker) finishes. */
  signal?: AbortSignal;
}

export interface DecodePool {
  readonly size: number;
  decode(parsed: ParsedDicom, frameIndex: number, options?: DecodeOptions): Promise<DecodedFrame>;
  decodeJob(job: FrameJob, options?: DecodeOptions): Promise<DecodedFrame>;
  /** Reads, decodes and writes one plane into a volume's shared memory, all in a worker. */
  decodePlane(job: PlaneJob, options?: DecodeOptions): Promise<void>;
  /**
   * Starts every worker now and instantiates its WASM codecs, so the first frame a user opens waits
   * for neither; resolves when they are ready (callers need not wait).
   */
  warm(): Promise<void>;
  /** Terminates the workers; frames still queued or running reject with DICOM_DECODE_CANCELLED. */
  dispose(): Promise<void>;
}

/**
 * One worker per core, less one for the main thread on machines with more than two: with the files read
 * and the planes written in the workers, the main thread only schedules during a load, and leaving one
 * of two cores idle would halve the speed of a 2-core reading-room PC (measured in npm run bench).
 */
export function defaultPoolSize(): number {
  const cores = os.availableParallelism();
  return Math.max(1, cores <= 2 ? cores : cores - 1);
}

type WorkerReply = { id: number; ok: true; frame?: DecodedFrame } | { id: number; ok: false; error: ErrorValue } | { ready: true };

type Work = { job: FrameJob; resolve: (frame: DecodedFrame) => void } | { plane: PlaneJob; resolve: () => void };

type Task = Work & {
  id: number;
  reject: (error: LumenError) => void;
  signal?: AbortSignal;
};

/**
 * The worker script: compiled .js next to this module in a build, the .ts source in a checkout. A .ts
 * worker needs tsx, and `--import tsx` in a worker's execArgv does not reach the worker's entry on Node 20
 * ("Unknown file extension .ts"), so the worker boots from a one-line script that registers tsx's loader
 * and then imports the source. This works under the CLI (already on tsx) and vitest (not) alike.
 */
function workerSpec(): { script: string; eval: boolean } {
  const js = fileURLToPath(new URL('./decodeWorker.js', import.meta.url));
  if (existsSync(js)) return { script: js, eval: false };
  const ts = new URL('./decodeWorker.ts', import.meta.url).href;
  // The ESM entry of tsx's API (its "import" export), found from tsx's package.json next to this checkout.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  return {
    script: `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(ts)}); });`,
    eval: true,
  };
}

const cancelled = (): LumenError => dicomError('DICOM_DECODE_CANCELLED', 'Decoding was cancelled.');

/**
 * Volume planes handed to one worker at a time: the next one waits in the worker while it decodes the
 * current one, so a worker does not sit idle for the round trip to the main thread between two planes
 * (a volume load ~7% faster in alternating runs). Frames for the viewer go to idle workers only: held
 * frames made the viewer bench's first image slower (mean 555 vs 464 ms over eight alternating runs).
 */
const PLANE_DEPTH = 2;

/** A worker_threads pool that decodes frames off the main thread, first come first served. */
export function createDecodePool(options: DecodePoolOptions = {}): DecodePool {
  const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  const spec = options.workerScript ? { script: options.workerScript, eval: false } : workerSpec();
  /** Every live worker, with the tasks it holds, oldest first. */
  const inFlight = new Map<Worker, Task[]>();
  const queue: Task[] = [];
  let nextId = 1;
  let disposed = false;

  const readiness: Promise<void>[] = [];
  const spawn = (preloadCodecs = false): Worker => {
    const workerData: WorkerOptions = { preloadCodecs };
    const worker = new Worker(spec.script, { eval: spec.eval, workerData });
    inFlight.set(worker, []);
    if (preloadCodecs) {
      readiness.push(
        new Promise<void>((resolve) => {
          const onReady = (reply: WorkerReply) => {
            if ('ready' in reply) {
              worker.off('message', onReady);
              resolve();
            }
          };
          worker.on('message', onReady);
          worker.once('exit', () => resolve());
        }),
      );
    }
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) return;
      const tasks = inFlight.get(worker);
      const at = tasks?.findIndex((t) => t.id === reply.id) ?? -1;
      if (tasks && at >= 0) {
        const [task] = tasks.splice(at, 1) as [Task];
        if (!reply.ok) task.reject(new LumenError(reply.error.code, reply.error.message));
        else if ('job' in task) task.resolve(reply.frame!);
        else task.resolve();
      }
      pump();
    });
    // A worker that dies (a WASM abort, out of memory) fails the frame it was decoding, not the process;
    // the one waiting behind it goes back to the head of the queue, and a new worker replaces this one.
    const lost = (error?: unknown): void => {
      const tasks = inFlight.get(worker);
      if (!tasks) return;
      inFlight.delete(worker);
      if (disposed) {
        for (const task of tasks) task.reject(cancelled());
        return;
      }
      const [running, ...waiting] = tasks;
      running?.reject(dicomError('DICOM_DECODE_FAILED', `The decoder stopped while decoding this frame (${error instanceof Error ? error.message : 'worker exited'}).`));
      queue.unshift(...waiting);
      pump();
    };
    worker.once('error', lost);
    worker.once('exit', () => lost());
    return worker;
  };

  /** The live worker holding the fewest tasks, if it holds fewer than `depth`. */
  const leastBusy = (depth: number): Worker | undefined => {
    let best: Worker | undefined;
    let fewest = depth;
    for (const [worker, tasks] of inFlight) {
      if (tasks.length < fewest) {
        best = worker;
        fewest = tasks.length;
      }
    }
    return best;
  };

  const pump = (): void => {
    while (!disposed && queue.length > 0) {
      let worker = leastBusy('plane' in queue[0]! ? PLANE_DEPTH : 1);
      // A free slot on a running worker comes second to an idle worker not started yet.
      if ((worker === undefined || inFlight.get(worker)!.length > 0) && inFlight.size < size) worker = spawn();
      if (!worker) return;
      const task = queue.shift() as Task;
      if (task.signal?.aborted) {
        task.reject(cancelled());
        continue;
      }
      inFlight.get(worker)!.push(task);
      if ('plane' in task) {
        const request: WorkerRequest = { id: task.id, plane: task.plane };
        worker.postMessage(request);
        continue;
      }
      // Copy the frame out of the caller's buffer (usually the whole file) and transfer the copy.
      const data = task.job.data.slice();
      const request: WorkerRequest = { id: task.id, job: { ...task.job, data } };
      worker.postMessage(request, [data.buffer]);
    }
  };

  const warm = async (): Promise<void> => {
    while (!disposed && inFlight.size < size) spawn(true);
    await Promise.all(readiness);
  };

  const submit = <T,>(work: (resolve: (value: T) => void) => Work, opts: DecodeOptions): Promise<T> => {
    if (disposed) return Promise.reject(cancelled());
    if (opts.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      // The abort listener goes when the frame settles: one signal often covers a whole series, and
      // listeners left behind would pile up on it, one per frame.
      const onAbort = () => {
        const at = queue.indexOf(task);
        if (at >= 0) {
          queue.splice(at, 1);
          reject(cancelled());
        }
      };
      const settle = <V,>(fn: (value: V) => void) => (value: V) => {
        opts.signal?.removeEventListener('abort', onAbort);
        fn(value);
      };
      const task: Task = { ...work(settle(resolve)), id: nextId++, reject: settle(reject), ...(opts.signal ? { signal: opts.signal } : {}) };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(task);
      pump();
    });
  };

  const decodeJob = (job: FrameJob, opts: DecodeOptions = {}): Promise<DecodedFrame> => submit<DecodedFrame>((resolve) => ({ job, resolve }), opts);

  return {
    size,
    warm,
    decodeJob,
    decodePlane: (plane, opts = {}) => submit<void>((resolve) => ({ plane, resolve: () => resolve() }), opts),
    decode: (parsed, frameIndex, opts) => {
      try {
        return decodeJob(frameJob(parsed, frameIndex), opts);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async dispose() {
      disposed = true;
      for (const task of queue.splice(0)) task.reject(cancelled());
      const all = [...inFlight.keys()];
      for (const tasks of inFlight.values()) for (const task of tasks) task.reject(cancelled());
      inFlight.clear();
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
