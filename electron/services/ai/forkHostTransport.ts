import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostLauncher, HostTransport, ToHost } from './hostProtocol';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ForkHostOptions {
  /** The host script; default: inferenceHost.ts beside this file through tsx (a checkout), else the bundle's inferenceHost.mjs. */
  script?: string;
  /** LUMEN_AI_HOST_TEST=1 lets a test make the host abort like a native crash. */
  testMode?: boolean;
}

/**
 * The inference host as a Node child process (CLI, tests, benchmarks). The 'advanced' serialisation is
 * the structured clone, as in Electron's utilityProcess, so Float32Array tensors cross without JSON.
 */
export function forkHostLauncher(options: ForkHostOptions = {}): HostLauncher {
  const source = path.join(here, 'inferenceHost.ts');
  const script = options.script ?? (existsSync(source) ? source : path.join(here, 'inferenceHost.mjs'));
  const execArgv = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return (): HostTransport => {
    const child = fork(script, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, LUMEN_AI_HOST_TEST: options.testMode ? '1' : '0' },
    });
    return {
      send: (message: ToHost) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        let told = false;
        const tell = (detail: string) => {
          if (!told) listener(detail);
          told = true;
        };
        child.once('exit', (code, signal) => tell(signal ? `killed by ${signal}` : `exited with code ${String(code)}`));
        child.once('error', (error) => tell(error.message));
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
