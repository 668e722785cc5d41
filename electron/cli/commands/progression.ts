import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toErrorValue } from '../../../shared/domain/errors';
import { ProgressionRunner, runProgression } from '../../services/progression/runProgression';
import type { CliCommand } from '../command';

// Models ship in <repo>/models/<id>/; --models-dir points elsewhere (tests, installed copies).
const DEFAULT_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../models');

const USAGE = 'progression --model <id> --csv <file> [--models-dir <dir>]';

function parseArgs(args: readonly string[]): { model: string; csv: string; modelsDir: string } | string {
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (!['--model', '--csv', '--models-dir'].includes(flag)) return `unknown option "${flag}"`;
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    opts[flag] = value;
    i++;
  }
  if (!opts['--model'] || !opts['--csv']) return 'both --model and --csv are required';
  return { model: opts['--model'], csv: opts['--csv'], modelsDir: opts['--models-dir'] ?? DEFAULT_MODELS_DIR };
}

/**
 * `lumen progression`: one JSON line per subject and visit that has a next visit. Exit 0 when every
 * subject ran, 1 when some subjects printed error lines (the others still ran), 2 for usage errors,
 * 3 when nothing could run (model or CSV unusable).
 */
export const progressionCommand: CliCommand = {
  name: 'progression',
  usage: USAGE,
  summary: 'Predict worsening by the next visit from a visit table (OASIS columns)',
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.err(`lumen progression: ${parsed}\nUsage: lumen ${USAGE}`);
      return 2;
    }
    let runner: ProgressionRunner | undefined;
    let failures = 0;
    try {
      let text: string;
      try {
        text = await readFile(parsed.csv, 'utf8');
      } catch {
        io.err(JSON.stringify({ error: { code: 'PROGRESSION_CSV_NOT_FOUND', message: `Cannot read the CSV file "${parsed.csv}".` } }));
        return 3;
      }
      runner = await ProgressionRunner.open(parsed.modelsDir, parsed.model);
      for await (const line of runProgression(runner, text)) {
        if ('error' in line) failures++;
        io.out(JSON.stringify(line));
      }
      return failures > 0 ? 1 : 0;
    } catch (error) {
      io.err(JSON.stringify({ error: toErrorValue(error) }));
      return 3;
    } finally {
      await runner?.release();
    }
  },
};
