// Bundles the Node-side entry points with esbuild (the renderer is built by Vite):
//   out/main/index.mjs      Electron main (ESM), dependencies left in node_modules
//   out/preload/index.cjs   sandboxed preload: must be one CommonJS file with only `electron` external
//   out/harness/bridge.js   the harness's browser-side bridge (window.lumen over WebSocket)
import { build } from 'esbuild';

const common = { bundle: true, logLevel: 'warning', sourcemap: false, legalComments: 'none', target: 'node20' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'out/main/index.mjs', platform: 'node', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'out/preload/index.cjs', platform: 'node', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['e2e/harness/bridge.ts'], outfile: 'out/harness/bridge.js', platform: 'browser', format: 'iife', target: 'chrome120' }),
]);
