import { mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchSuite } from './suite';

const here = path.dirname(fileURLToPath(import.meta.url));
const suitesDir = path.join(here, 'suites');
const only = process.argv.slice(2);

const results: Record<string, unknown> = {};
for (const file of readdirSync(suitesDir).filter((f) => f.endsWith('.ts')).sort()) {
  const { suite } = (await import(pathToFileURL(path.join(suitesDir, file)).href)) as { suite: BenchSuite };
  if (only.length > 0 && !only.includes(suite.name)) continue;
  process.stderr.write(`bench: ${suite.name} ...\n`);
  const started = performance.now();
  try {
    results[suite.name] = { ...(await suite.run()), seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    results[suite.name] = { failed: error instanceof Error ? error.message : String(error) };
  }
  process.stderr.write(`bench: ${suite.name}: ${JSON.stringify(results[suite.name], null, 1)}\n`);
}

const outDir = path.join(here, 'results');
mkdirSync(outDir, { recursive: true });
// Running some suites updates theirs and keeps the others' latest figures (each carries its date).
const file = path.join(outDir, 'latest.json');
const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { suites?: Record<string, unknown> }).suites ?? {} : {};
const date = new Date().toISOString();
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const dated = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { ...(r as object), date, machine }]));
writeFileSync(file, JSON.stringify({ date, suites: { ...previous, ...dated } }, null, 2) + '\n');
process.stderr.write(`bench: wrote ${path.join(outDir, 'latest.json')}\n`);
