import { LumenError } from '../../../shared/domain/errors';
import { createServices } from '../../services/createServices';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

/** Progress lines on stderr at most this often: a person watches them, a script ignores them. */
const PROGRESS_INTERVAL_MS = 500;

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import <folder|file|DICOMDIR>... [--copy|--reference] [--data-dir D]',
  summary: 'import into the study library (progress on stderr, JSON summary on stdout)',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      allowPositionals: true,
      options: { copy: { type: 'boolean' }, reference: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (positionals.length === 0 || (values.copy && values.reference)) {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    let services;
    try {
      services = await createServices({ dataDir: resolveDataDirectory(values['data-dir']) });
      let last = 0;
      const summary = await services.library.importPaths(positionals, {
        signal: abort.signal,
        ...(values.copy ? { mode: 'copy' as const } : values.reference ? { mode: 'reference' as const } : {}),
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          io.err(`import: ${p.seen} files seen, ${p.parsed} parsed, ${p.stored} stored, ${p.failed} failed`);
        },
      });
      io.err(
        `import: done, ${summary.filesSeen} files seen, ${summary.instancesAdded} instances added, ${summary.alreadyInLibrary} already in the library, ${summary.failed.length} failed`,
      );
      io.out(JSON.stringify(summary));
      return summary.filesSeen > 0 && summary.failed.length === summary.filesSeen ? 1 : 0;
    } catch (error) {
      io.err(`lumen import: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      await services?.dispose();
    }
  },
};
