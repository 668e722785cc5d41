import { LumenError } from '../../../shared/domain/errors';
import { FromHostSchema, type Fallback, type FromHost, type HostLauncher, type HostTensor, type HostTransport, type ProviderName, type ToHost } from './hostProtocol';

/** A session the host should hold: one ONNX file of one model, verified and warmed up on load. */
export interface SessionSpec {
  key: string;
  file: { path: string; sha256: string };
  warmUp: { input: string; dims: number[] };
}

export interface LoadedSession {
  key: string;
  provider: ProviderName;
  fallbacks: Fallback[];
  /** Cold start in the host: verify (sha256), create, warm up. */
  ms: { verify: number; create: number; warmUp: number };
}

export interface RunOutput {
  outputs: Record<string, HostTensor>;
  provider: ProviderName;
  /** The runtime's own time for this run, in the host. */
  ms: number;
}

export interface SupervisorOptions {
  providers: () => ProviderName[];
  /** Bound on one run; past it the run fails with AI_RUN_TIMEOUT and the host is restarted. */
  runTimeoutMs?: number;
  /** Bound on starting the host and on loading a model (create + warm-up). */
  loadTimeoutMs?: number;
  intraOpThreads?: number;
  log?: (line: string) => void;
}

interface Pending {
  isAnswer: (message: FromHost) => boolean;
  resolve: (message: FromHost) => void;
  reject: (error: LumenError) => void;
}

interface Host {
  transport: HostTransport;
  ready: Promise<void>;
  pending?: Pending;
  alive: boolean;
}

const cancelled = () => new LumenError('AI_RUN_CANCELLED', 'The analysis was cancelled.');

/**
 * Owns the inference host process: starts it, loads each model's session once, queues runs (one at a
 * time: a session already uses every core), bounds them in time and restarts the host when it dies. A
 * crash fails only the run in flight (AI_HOST_CRASHED); queued runs go on in the new host, which reloads
 * the sessions it needs.
 */
export class InferenceSupervisor {
  private host: Host | undefined;
  private readonly sessions = new Map<string, LoadedSession>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** How many times the host had to be started again after a crash or a timeout. */
  restarts = 0;

  constructor(
    private readonly launch: HostLauncher,
    private readonly options: SupervisorOptions,
  ) {}

  /** Sessions loaded in the current host, with the provider each got and why others were passed over. */
  loadedSessions(): LoadedSession[] {
    return [...this.sessions.values()];
  }

  /** Loads (once) and returns the session's provider and cold-start timings. */
  load(spec: SessionSpec, signal?: AbortSignal): Promise<LoadedSession> {
    return this.enqueue(() => this.ensureSession(spec), signal);
  }

  run(spec: SessionSpec, feeds: Record<string, HostTensor>, signal?: AbortSignal): Promise<RunOutput> {
    return this.enqueue(async () => {
      const session = await this.ensureSession(spec);
      if (signal?.aborted) throw cancelled();
      const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const answer = await this.exchange(
        { type: 'run', runId, key: spec.key, feeds },
        (m) => (m.type === 'result' || m.type === 'runFailed') && m.runId === runId,
        this.options.runTimeoutMs ?? 60_000,
        'AI_RUN_TIMEOUT',
      );
      if (answer.type === 'runFailed') throw new LumenError(answer.error.code, answer.error.message);
      if (answer.type !== 'result') throw new LumenError('AI_HOST_PROTOCOL', 'The inference host answered out of turn.');
      return { outputs: answer.outputs, provider: session.provider, ms: answer.ms };
    }, signal);
  }

  /** Test mode only: makes the host abort as a native crash would (process.abort()). */
  crashHostForTest(): void {
    this.host?.transport.send({ type: 'crashForTest' });
  }

  /** The host's pid while it runs (tests kill it with SIGKILL). */
  async hostPid(): Promise<number> {
    const host = await this.ensureHost();
    await host.ready;
    return this.pid;
  }

  /** Releases every session and stops the host. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const host = this.host;
    if (!host?.alive) return;
    await this.queue.catch(() => undefined);
    try {
      await this.exchange({ type: 'release' }, (m) => m.type === 'released', 5_000, 'AI_HOST_SHUTDOWN_TIMEOUT');
    } catch {
      // Released or not, the process goes: the OS frees what a dead process held.
    }
    host.alive = false;
    host.transport.kill();
    this.host = undefined;
    this.sessions.clear();
  }

  private pid = 0;

  private enqueue<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const result = this.queue.then(() => {
      if (signal?.aborted) throw cancelled();
      return job();
    });
    this.queue = result.catch(() => undefined);
    if (!signal) return result;
    // Cancelling answers at once; a run already in the host finishes there and its answer is dropped
    // (onnxruntime-node cannot interrupt a run), and the queue moves on when it does.
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async ensureSession(spec: SessionSpec): Promise<LoadedSession> {
    const known = this.sessions.get(spec.key);
    if (known) return known;
    const answer = await this.exchange(
      { type: 'load', key: spec.key, file: spec.file, providers: this.options.providers(), warmUp: spec.warmUp, ...(this.options.intraOpThreads ? { intraOpThreads: this.options.intraOpThreads } : {}) },
      (m) => (m.type === 'loaded' || m.type === 'loadFailed') && m.key === spec.key,
      this.options.loadTimeoutMs ?? 120_000,
      'AI_RUN_TIMEOUT',
    );
    if (answer.type === 'loadFailed') {
      for (const f of answer.fallbacks) this.options.log?.(`ai: ${spec.key}: provider ${f.provider} failed: ${f.reason}`);
      throw new LumenError(answer.error.code, answer.error.message);
    }
    if (answer.type !== 'loaded') throw new LumenError('AI_HOST_PROTOCOL', 'The inference host answered out of turn.');
    const session: LoadedSession = { key: answer.key, provider: answer.provider, fallbacks: answer.fallbacks, ms: answer.ms };
    for (const f of session.fallbacks) this.options.log?.(`ai: ${spec.key}: fell back from ${f.provider}: ${f.reason}`);
    this.sessions.set(spec.key, session);
    return session;
  }

  private ensureHost(): Host {
    if (this.closed) throw new LumenError('AI_HOST_STOPPED', 'The inference engine has been shut down.');
    if (this.host?.alive) return this.host;
    const transport = this.launch();
    let markReady: () => void = () => {};
    let failReady: (error: LumenError) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => undefined);
    const host: Host = { transport, ready, alive: true };
    const startTimer = setTimeout(() => {
      failReady(new LumenError('AI_HOST_CRASHED', 'The inference engine did not start.'));
      transport.kill();
    }, this.options.loadTimeoutMs ?? 120_000);
    transport.onMessage((raw) => {
      const parsed = FromHostSchema.safeParse(raw);
      if (!parsed.success) return this.options.log?.('ai: the inference host sent a malformed message');
      const message = parsed.data;
      if (message.type === 'ready') {
        this.pid = message.pid;
        clearTimeout(startTimer);
        markReady();
        return;
      }
      const pending = host.pending;
      if (pending?.isAnswer(message)) {
        host.pending = undefined;
        pending.resolve(message);
      }
    });
    transport.onExit((detail) => {
      clearTimeout(startTimer);
      host.alive = false;
      if (this.host === host) {
        this.host = undefined;
        // Sessions lived in that process; the next host loads them again on demand.
        this.sessions.clear();
      }
      failReady(new LumenError('AI_HOST_CRASHED', 'The inference engine stopped while starting.'));
      const pending = host.pending;
      host.pending = undefined;
      if (this.closed) return;
      this.options.log?.(`ai: inference host ${detail}; restarting it`);
      pending?.reject(new LumenError('AI_HOST_CRASHED', 'The inference engine stopped unexpectedly during this analysis; it has been restarted. Try again.'));
      this.restarts++;
    });
    this.host = host;
    return host;
  }

  private async exchange(message: ToHost, isAnswer: (m: FromHost) => boolean, timeoutMs: number, timeoutCode: string): Promise<FromHost> {
    const host = this.ensureHost();
    await host.ready;
    return new Promise<FromHost>((resolve, reject) => {
      const timer = setTimeout(() => {
        host.pending = undefined;
        reject(new LumenError(timeoutCode, `The analysis took longer than ${Math.round(timeoutMs / 1000)} s and was stopped; the inference engine has been restarted.`));
        // A run that does not end may hold the cores or a GPU: only a new process is sure to be clean.
        this.sessions.clear();
        host.transport.kill();
      }, timeoutMs);
      host.pending = {
        isAnswer,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      host.transport.send(message);
    });
  }
}
