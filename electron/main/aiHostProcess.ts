import { utilityProcess } from 'electron';
import type { HostLauncher, HostTransport, ToHost } from '../services/ai/hostProtocol';

/**
 * The inference host as an Electron utilityProcess (the app): a sandboxed-from-the-UI Node process
 * that Chromium's process model supervises, so a native crash in onnxruntime or a GPU driver ends only
 * that process. It speaks the same hostProtocol as the forked Node process the CLI and tests use;
 * postMessage is a structured clone, so Float32Array tensors cross without JSON.
 */
export function utilityProcessLauncher(script: string): HostLauncher {
  return (): HostTransport => {
    const child = utilityProcess.fork(script, [], {
      serviceName: 'Lumen inference host',
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LUMEN_AI_HOST_TEST: '0' },
    });
    let alive = true;
    return {
      send: (message: ToHost) => {
        if (alive) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        child.once('exit', (code: number) => {
          alive = false;
          listener(`exited with code ${String(code)}`);
        });
      },
      kill: () => {
        child.kill();
      },
    };
  };
}
