import { listModels } from '../../services/ai/index';
import { resolveInstallLayout } from '../../services/install/index';
import type { CliCommand } from '../command';

const USAGE = 'models [--models-dir <dir>]';

/** `lumen models`: one JSON line per installed model with its checksum verdict; exit 1 if one is broken. */
export const modelsCommand: CliCommand = {
  name: 'models',
  usage: USAGE,
  summary: 'List installed models and verify their checksums',
  async run(args, io) {
    let modelsDir = resolveInstallLayout().modelsDir;
    if (args.length === 2 && args[0] === '--models-dir') modelsDir = args[1]!;
    else if (args.length > 0) {
      io.err(`lumen models: unexpected arguments\nUsage: lumen ${USAGE}`);
      return 2;
    }
    const listings = await listModels(modelsDir);
    for (const l of listings) {
      const m = l.manifest;
      io.out(JSON.stringify({ id: l.id, ok: l.problems.length === 0, ...(m ? { version: m.version, name: m.name, task: m.task, modalities: m.modalities, bodyParts: m.bodyParts, sha256: m.sha256 } : {}), problems: l.problems }));
    }
    if (listings.length === 0) io.err(`lumen models: no models in ${modelsDir}`);
    return listings.some((l) => l.problems.length > 0) ? 1 : 0;
  },
};
