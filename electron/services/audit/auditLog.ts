import { closeSync, copyFileSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import type { AuditAction, AuditEntry } from '../../../shared/domain/audit';
import { chainEntry, GENESIS_HASH, verifyChain, type ChainVerdict } from './hashChain';

export interface AuditRecord {
  action: AuditAction;
  studyInstanceUid?: string | null;
  outcome: 'success' | 'failure';
  detail?: string;
}

function osAccount(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/**
 * The audit trail: one JSON line per entry in `<dataDir>/audit/audit.jsonl`, opened append-only, each
 * entry carrying the hash of the one before (hashChain.ts), synced to disk before append() returns.
 * A log that fails verification is never appended to, so tampering cannot be papered over.
 */
export class AuditLog {
  private fd: number | null = null;
  private constructor(
    readonly file: string,
    private nextSeq: number,
    private lastHash: string,
    private readonly user: string,
  ) {}

  static open(dataDir: string): AuditLog {
    const file = path.join(dataDir, 'audit', 'audit.jsonl');
    mkdirSync(path.dirname(file), { recursive: true });
    const verdict = verifyAuditFile(file);
    if (!verdict.ok) {
      throw new LumenError('AUDIT_TAMPERED', `The audit trail failed verification at line ${verdict.line} (${verdict.reason}); ask IT to examine it before using Lumen.`);
    }
    return new AuditLog(file, verdict.entries, verdict.lastHash, osAccount());
  }

  append(record: AuditRecord): AuditEntry {
    const entry = chainEntry(
      {
        seq: this.nextSeq,
        time: new Date().toISOString(),
        user: this.user,
        action: record.action,
        studyInstanceUid: record.studyInstanceUid ?? null,
        outcome: record.outcome,
        ...(record.detail === undefined ? {} : { detail: record.detail }),
      },
      this.lastHash,
    );
    this.fd ??= openSync(this.file, 'a');
    // One write() per line on a file opened O_APPEND: a killed process leaves whole lines only. A full
    // disk may take part of a line: it is cut off again, so the trail stays verifiable.
    const line = Buffer.from(JSON.stringify(entry) + '\n');
    const before = fstatSync(this.fd).size;
    try {
      const written = writeSync(this.fd, line);
      if (written !== line.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      fdatasyncSync(this.fd);
    } catch (cause) {
      ftruncateSync(this.fd, before);
      throw new LumenError('AUDIT_WRITE_FAILED', 'The audit trail could not be written (is the disk full?).', { cause });
    }
    this.nextSeq++;
    this.lastHash = entry.hash;
    return entry;
  }

  /** Copies the log (verified first) to `destination` for an auditor. */
  export(destination: string): ChainVerdict {
    const verdict = verifyAuditFile(this.file);
    if (!verdict.ok) throw new LumenError('AUDIT_TAMPERED', `The audit trail failed verification at line ${verdict.line} (${verdict.reason}).`);
    mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
    copyFileSync(this.file, destination);
    return verdict;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Verifies a log or an exported copy; a missing file is an empty, valid log. */
export function verifyAuditFile(file: string): ChainVerdict {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, entries: 0, lastHash: GENESIS_HASH };
    throw new LumenError('AUDIT_UNREADABLE', 'The audit trail could not be read.', { cause: error });
  }
  return verifyChain(text.split('\n'));
}
