import { LumenError } from '../../../shared/domain/errors';
import { AuditLog, verifyAuditFile } from '../../services/audit/index';
import path from 'node:path';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

export const auditCommand: CliCommand = {
  name: 'audit',
  usage: 'audit verify [--file F] | audit export --out F [--data-dir D]',
  summary: 'verify the hash-chained audit trail (or an exported copy), or export it',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      allowPositionals: true,
      options: { file: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    const dataDir = resolveDataDirectory(values['data-dir']);
    try {
      if (positionals[0] === 'verify') {
        const file = values.file ? path.resolve(values.file) : path.join(dataDir, 'audit', 'audit.jsonl');
        const verdict = verifyAuditFile(file);
        io.out(JSON.stringify({ file, ...verdict }));
        if (!verdict.ok) io.err(`audit: NOT VALID at line ${verdict.line}: ${verdict.reason}`);
        return verdict.ok ? 0 : 1;
      }
      if (positionals[0] === 'export' && values.out) {
        const log = AuditLog.open(dataDir);
        try {
          const verdict = log.export(path.resolve(values.out));
          io.out(JSON.stringify({ file: path.resolve(values.out), ...verdict }));
          return 0;
        } finally {
          log.close();
        }
      }
    } catch (error) {
      io.err(`lumen audit: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      return 1;
    }
    io.err(`usage: lumen ${this.usage}`);
    return 2;
  },
};
