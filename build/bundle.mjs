// Bundles the Node-side entry points with esbuild (the renderer is built by Vite):
//   out/main/index.mjs      Electron main (ESM), dependencies left in node_modules
//   out/preload/index.cjs   sandboxed preload: must be one CommonJS file with only `electron` external
//   out/harness/bridge.js   the harness's browser-side bridge (window.lumen over WebSocket)
//   out/main/decodeWorker.js  the DICOM decode worker, beside index.mjs where workerPool looks for it
//   out/main/cli.mjs        the `lumen` CLI for installed copies (doctor), run by Electron as Node
//   out/build-info.json     version, commit and build time for the About box and `lumen doctor`
import { build } from 'esbuild';
import { writeBuildInfo } from './buildInfo.mjs';

const common = { bundle: true, logLevel: 'warning', sourcemap: false, legalComments: 'none', target: 'node20' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'out/main/index.mjs', platform: 'node', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'out/preload/index.cjs', platform: 'node', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/services/dicom/decode/decodeWorker.ts'], outfile: 'out/main/decodeWorker.js', platform: 'node', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: 'out/main/cli.mjs', platform: 'node', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/services/ai/inferenceHost.ts'], outfile: 'out/main/inferenceHost.mjs', platform: 'node', format: 'esm', packages: 'external' }),
  writeBuildInfo('out/build-info.json'),
  build({ ...common, entryPoints: ['e2e/harness/bridge.ts'], outfile: 'out/harness/bridge.js', platform: 'browser', format: 'iife', target: 'chrome120' }),
]);
