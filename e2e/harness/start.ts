import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startHarness } from './server';

/**
 * `npm run harness`: the workstation in a browser. Prints one JSON line {url, token, dataDir} for
 * Playwright; people open the printed address (the token travels in the URL hash, never to the server
 * log).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'pick-folder': { type: 'string' },
    'policy-file': { type: 'string' },
    'inject-bridge': { type: 'boolean', default: false },
  },
});

const dataDir = values['data-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'lumen-harness-')));
const harness = await startHarness({
  dataDir,
  rendererDir: path.join(root, 'out', 'renderer'),
  bridgeScript: path.join(root, 'out', 'harness', 'bridge.js'),
  port: Number(values.port),
  injectBridge: values['inject-bridge'],
  ...(values['pick-folder'] !== undefined ? { pickFolderAnswer: values['pick-folder'] } : {}),
  ...(values['policy-file'] !== undefined ? { policyFile: path.resolve(values['policy-file']) } : {}),
});
process.stdout.write(JSON.stringify({ url: harness.url, token: harness.token, dataDir: harness.services.dataDir }) + '\n');
if (values['inject-bridge']) process.stderr.write(`Lumen harness: open ${harness.url}/#token=${harness.token}\n`);

const stop = () => void harness.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
