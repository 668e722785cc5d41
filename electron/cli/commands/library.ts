import { LumenError } from '../../../shared/domain/errors';
import { AuditLog } from '../../services/audit/index';
import { resolveInstallLayout } from '../../services/install/index';
import { repairLibrary, type LibraryRepairProgress } from '../../services/library/index';
import { ManagedSettings, loadPolicy, policyFileLocation } from '../../services/settings/index';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

/** Progress lines on stderr at most this often. */
const PROGRESS_INTERVAL_MS = 500;

function progressLine(p: LibraryRepairProgress): string {
  if (p.stage === 'salvage') return `repair: reading what the damaged database still holds (${p.table})`;
  if (p.stage === 'index') return `repair: re-indexing the files: ${p.seen} files seen, ${p.parsed} parsed, ${p.stored} indexed, ${p.failed} failed`;
  return 'repair: carrying over measurements, AI results and visits';
}

export const libraryCommand: CliCommand = {
  name: 'library',
  usage: 'library repair [--data-dir D]',
  summary: 'rebuild a damaged study library from its files, with Lumen closed (progress on stderr, JSON summary on stdout)',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, { allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    if (!parsed) return 2;
    if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'repair') {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    // The machine policy may fix the data directory; the app would use that one, so the repair does.
    const policy = new ManagedSettings(await loadPolicy(policyFileLocation({ packaged: resolveInstallLayout().kind === 'packaged' })));
    const dataDir = policy.status.dataDirectory ?? resolveDataDirectory(parsed.values['data-dir']);
    let last = 0;
    try {
      const summary = await repairLibrary(dataDir, {
        onProgress: (p) => {
          const now = performance.now();
          if (p.stage === 'index' && now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          io.err(progressLine(p));
        },
      });
      const audit = AuditLog.open(dataDir);
      try {
        audit.append({
          action: 'library.repair',
          outcome: 'success',
          detail: `instances: ${summary.instancesIndexed}, referenced files missing: ${summary.referencedFilesMissing}, results restored: ${summary.derivedResultsRestored}, lost: ${summary.derivedResultsLost}`,
        });
      } finally {
        audit.close();
      }
      io.err(
        `repair: done, ${summary.instancesIndexed} instances indexed, ${summary.referencedFilesMissing} referenced files missing, ${summary.derivedResultsRestored} saved results carried over (${summary.derivedResultsLost} lost); the damaged database is kept in ${summary.damagedCopy}`,
      );
      io.out(JSON.stringify(summary));
      return 0;
    } catch (error) {
      io.err(`lumen library: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      return 1;
    }
  },
};
