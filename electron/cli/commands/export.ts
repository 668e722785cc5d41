import { LumenError } from '../../../shared/domain/errors';
import { DEIDENTIFY_OPTIONS, DeidentifyOptionSchema, type ExportDeidentify, type ExportProgress } from '../../../shared/domain/export';
import { createServices, type Services } from '../../services/createServices';
import { resolveExportTarget } from '../../services/export/index';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

/** Progress lines on stderr at most this often: a person watches them, a script ignores them. */
const PROGRESS_INTERVAL_MS = 500;

/**
 * `lumen export <study-uid>... --to <target>`: the target is a configured PACS node id if one has that
 * id, else a ZIP when it ends in .zip, else a folder (export/exportTarget.ts). stdout: one JSON line per
 * object, then one summary line; exit 0 when every object was exported, 1 when any failed or the export
 * stopped, 2 on usage. Ctrl-C cancels (nothing incomplete is left at a folder or ZIP destination).
 */
export const exportCommand: CliCommand = {
  name: 'export',
  usage: `export <study-uid>... --to <folder|file.zip|node-id> [--method c-store|stow-rs] [--deidentify [--options ${DEIDENTIFY_OPTIONS.join(',')}] [--burned-in refuse|warn] [--mapping FILE --passphrase-env VAR]] [--include-measurements] [--include-ai [--secondary-capture]] [--data-dir D]`,
  summary: 'export studies to a folder with a DICOMDIR, a ZIP, or a PACS node; JSON line per object, then a summary',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        method: { type: 'string' },
        deidentify: { type: 'boolean' },
        options: { type: 'string' },
        'burned-in': { type: 'string' },
        mapping: { type: 'string' },
        'passphrase-env': { type: 'string' },
        'include-measurements': { type: 'boolean' },
        'include-ai': { type: 'boolean' },
        'secondary-capture': { type: 'boolean' },
        'data-dir': { type: 'string' },
      },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    const usageError = (reason: string) => {
      io.err(`lumen export: ${reason}\nusage: lumen ${this.usage}`);
      return 2;
    };
    if (positionals.length === 0 || !values.to) return usageError('a study UID and --to are required');
    if (values.method !== undefined && values.method !== 'c-store' && values.method !== 'stow-rs') return usageError('--method is c-store or stow-rs');
    const optionNames = (values.options ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
    const unknown = optionNames.filter((o) => !DeidentifyOptionSchema.safeParse(o).success);
    if (unknown.length > 0) return usageError(`unknown de-identification option(s): ${unknown.join(', ')}`);
    if ((optionNames.length > 0 || values.mapping || values['burned-in']) && !values.deidentify) return usageError('--options, --burned-in and --mapping go with --deidentify');
    if (values['secondary-capture'] && !values['include-ai']) return usageError('--secondary-capture goes with --include-ai');
    if (values['burned-in'] !== undefined && values['burned-in'] !== 'refuse' && values['burned-in'] !== 'warn') return usageError('--burned-in is refuse or warn');
    let passphrase: string | undefined;
    if (values.mapping) {
      passphrase = values['passphrase-env'] ? process.env[values['passphrase-env']] : undefined;
      if (!passphrase) return usageError('--mapping needs --passphrase-env naming a set environment variable (the passphrase never goes on the command line)');
    }
    const deidentify: ExportDeidentify | null = values.deidentify
      ? {
          options: optionNames.map((o) => DeidentifyOptionSchema.parse(o)),
          burnedInAnnotation: values['burned-in'] === 'warn' ? 'warn' : 'refuse',
          ...(values.mapping ? { mappingFile: values.mapping, passphrase } : {}),
        }
      : null;

    const jobId = `cli-${process.pid}-${Date.now()}`;
    let services: Services | undefined;
    const onSignal = () => services?.export.cancel(jobId);
    process.once('SIGINT', onSignal);
    try {
      services = await createServices({ dataDir: resolveDataDirectory(values['data-dir']) });
      const destination = resolveExportTarget(values.to, services.settings.get().pacsNodes, values.method as 'c-store' | 'stow-rs' | undefined);
      if (values.method && destination.kind !== 'pacs') return usageError(`--method is for a PACS node, and "${values.to}" is not a configured node id`);
      let last = 0;
      const off = services.events.onAny((event, payload) => {
        if (event !== 'export.progress') return;
        const p = payload as ExportProgress;
        if (p.jobId !== jobId) return;
        const now = performance.now();
        if (now - last < PROGRESS_INTERVAL_MS && !p.finished) return;
        last = now;
        io.err(`export: ${p.done} of ${p.total} objects, ${p.failed} failed`);
      });
      const summary = await services.export.start({
        studyInstanceUids: positionals,
        destination,
        deidentify,
        includeMeasurements: values['include-measurements'] === true,
        includeAi: values['include-ai'] === true,
        includeSecondaryCapture: values['secondary-capture'] === true,
        jobId,
      });
      off();
      // Result lines come from the summary, not the progress events: a File-set that was not completed
      // (cancel, disk full) reports its objects as not exported, whatever the staging area held.
      const { results, ...totals } = summary;
      for (const result of results) io.out(JSON.stringify(result));
      io.out(JSON.stringify({ summary: true, ...totals }));
      if (summary.error) io.err(`lumen export: ${summary.error.code}: ${summary.error.message}`);
      return summary.failed > 0 || summary.error ? 1 : 0;
    } catch (error) {
      io.err(`lumen export: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      io.out(JSON.stringify({ summary: true, error: error instanceof LumenError ? error.toValue() : { code: 'INTERNAL_ERROR', message: 'internal error' } }));
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      await services?.dispose();
    }
  },
};
