import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataRoot } from '../../services/dicom/testSupport';
import type { CliCommand } from '../command';
import { importCommand } from './import';
import { reportCommand } from './report';

async function runCli(command: CliCommand, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('lumen report', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-cli-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the PDF of a library study, which poppler reads with the page count it printed', async () => {
    const ctDir = path.join(dataRoot, 'ct/chest-275');
    const files = readdirSync(ctDir).sort().slice(60, 62).map((f) => path.join(ctDir, f));
    const imported = await runCli(importCommand, [...files, '--reference', '--data-dir', dir]);
    expect(imported.code).toBe(0);
    const study = (JSON.parse(imported.out[0]!) as { studies: string[] }).studies[0]!;

    const out = path.join(dir, 'study.pdf');
    const { code, out: lines } = await runCli(reportCommand, [study, '--out', out, '--data-dir', dir]);
    expect(code).toBe(0);
    const result = JSON.parse(lines[0]!) as { path: string; pages: number };
    expect(result.path).toBe(out);
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${result.pages}\\n`));
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain('LIDC-IDRI-0314');
    expect(text).toContain('middle image of the first series');
  }, 120_000);

  it('usage errors exit 2; a study not in the library exits 1 with its code', async () => {
    expect((await runCli(reportCommand, ['1.2.3'])).code).toBe(2);
    expect((await runCli(reportCommand, ['--out', path.join(dir, 'x.pdf')])).code).toBe(2);
    const missing = await runCli(reportCommand, ['1.2.3.4.5', '--out', path.join(dir, 'x.pdf'), '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toContain('LIBRARY_STUDY_NOT_FOUND');
  }, 60_000);
});
