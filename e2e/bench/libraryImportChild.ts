/**
 * One library import in a fresh process, so its peak memory (maxRSS) is the import's own. Prints
 * {ms, added, maxRssMb} as JSON. Run by suites/libraryImport.ts.
 */
import { createServices } from '../../electron/services/createServices';

const [folder, dataDir] = process.argv.slice(2) as [string, string];
const services = await createServices({ dataDir });
const started = performance.now();
const summary = await services.library.importPaths([folder], { mode: 'reference' });
const ms = performance.now() - started;
await services.dispose();
process.stdout.write(JSON.stringify({ ms, added: summary.instancesAdded, failed: summary.failed.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
