import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * For tests only: the independent readers every object Lumen writes must satisfy, dicom3tools'
 * `dciodvfy` (IOD and module rules of PS3.3) and dcmtk's `dsrdump` (SR content trees).
 */
export function writeTemp(bytes: Uint8Array, name = 'object.dcm'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lumen-sr-')), name);
  writeFileSync(file, bytes);
  return file;
}

/** dciodvfy's verdict: its Error lines (none for a valid object) and how many warnings it gave. */
export function dciodvfy(file: string): { errors: string[]; warnings: string[]; output: string } {
  const run = spawnSync('dciodvfy', ['-new', file], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  const lines = output.split('\n');
  return { errors: lines.filter((l) => l.startsWith('Error')), warnings: lines.filter((l) => l.startsWith('Warning')), output };
}

export function dsrdump(file: string, ...options: string[]): { status: number | null; output: string } {
  const run = spawnSync('dsrdump', [...options, file], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
