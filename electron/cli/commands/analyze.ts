import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { toErrorValue } from '../../../shared/domain/errors';
import type { AiResult } from '../../../shared/domain/aiResult';
import { AiEngine, sessionSpecs } from '../../services/ai/index';
import { resolveInstallLayout } from '../../services/install/index';
import type { CliCommand } from '../command';

const USAGE = 'analyze --model <id> [--cpu] [--models-dir <dir>] <file|folder>...';

interface Args {
  model: string;
  modelsDir: string;
  forceCpu: boolean;
  inputs: string[];
}

function parseArgs(args: readonly string[]): Args | string {
  let model: string | undefined;
  let modelsDir = resolveInstallLayout().modelsDir;
  let forceCpu = false;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--cpu') forceCpu = true;
    else if (arg === '--model' || arg === '--models-dir') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      if (arg === '--model') model = value;
      else modelsDir = value;
    } else if (arg.startsWith('--')) return `unknown option "${arg}"`;
    else inputs.push(arg);
  }
  if (!model) return '--model is required';
  if (inputs.length === 0) return 'give at least one file or folder';
  return { model, modelsDir, forceCpu, inputs };
}

/** Files under each argument, folders walked recursively in name order (hidden files skipped). */
async function* filesOf(inputs: readonly string[]): AsyncGenerator<string> {
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      yield input; // reported as unreadable by the analysis, with the others going on
      continue;
    }
    if (!info.isDirectory()) {
      yield input;
      continue;
    }
    const entries = (await readdir(input, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(input, entry.name);
      if (entry.isDirectory()) yield* filesOf([full]);
      else if (entry.isFile()) yield full;
    }
  }
}

/**
 * `lumen analyze`: one JSON line per image (DICOM, PNG, JPEG), in the isolated inference host. Exit 0
 * when every image was analysed, 1 when some printed error lines, 2 for usage errors, 3 when the model
 * cannot run at all.
 */
export const analyzeCommand: CliCommand = {
  name: 'analyze',
  usage: USAGE,
  summary: 'Run an image model on DICOM, PNG or JPEG files (one JSON line per image)',
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.err(`lumen analyze: ${parsed}\nUsage: lumen ${USAGE}`);
      return 2;
    }
    const engine = new AiEngine({ modelsDir: parsed.modelsDir, forceCpu: () => parsed.forceCpu || process.env['LUMEN_FORCE_CPU'] === '1', log: io.err });
    let failures = 0;
    try {
      let model;
      try {
        model = await engine.openClassifier(parsed.model);
        // Verify and warm up before the first file, so a broken model stops here, not once per file.
        const { classifier, ood } = sessionSpecs(model);
        await engine.supervisor.load(classifier);
        if (ood) await engine.supervisor.load(ood);
      } catch (error) {
        io.err(JSON.stringify({ error: toErrorValue(error) }));
        return 3;
      }
      for await (const file of filesOf(parsed.inputs)) {
        try {
          const a = await engine.analyzeFile(model, file);
          const line: AiResult = { path: a.path, model: a.model, version: a.version, provider: a.provider, probabilities: a.probabilities, prediction: a.prediction, threshold: a.threshold, ood: a.ood, ms: Math.round(a.ms * 10) / 10 };
          io.out(JSON.stringify(line));
        } catch (error) {
          failures++;
          io.out(JSON.stringify({ path: file, model: parsed.model, error: toErrorValue(error) }));
        }
      }
      return failures > 0 ? 1 : 0;
    } finally {
      await engine.shutdown();
    }
  },
};
