import { z } from 'zod';

/**
 * The audit trail's entry: who did what to which study, when, with what outcome. Never patient names or
 * other demographics: a study is named by its Study Instance UID only (as the IHE ATNA profile advises
 * for the local log; the hospital maps UIDs to patients in its own systems).
 */
export const AuditActionSchema = z.enum([
  'library.import',
  'library.open',
  'library.delete',
  /** The library's database rebuilt after damage (`lumen library repair`): counts only. */
  'library.repair',
  'network.retrieve',
  'network.receive',
  'network.send',
  'ai.run',
  /** Visit measures for progression models: a CSV import, a form entry (counts only). */
  'progression.import',
  'progression.edit',
  'export',
  /** A printable study report (PDF) written to a file the user named. */
  'report.create',
]);
export type AuditAction = z.infer<typeof AuditActionSchema>;

export const AuditEntryBodySchema = z
  .object({
    seq: z.number().int().nonnegative(),
    time: z.string(),
    /** The operating-system account that ran Lumen. */
    user: z.string(),
    action: AuditActionSchema,
    studyInstanceUid: z.string().nullable(),
    outcome: z.enum(['success', 'failure']),
    /** Counts and error codes only, never PHI. */
    detail: z.string().max(512).optional(),
  })
  .strict();
export type AuditEntryBody = z.infer<typeof AuditEntryBodySchema>;

export const AuditEntrySchema = AuditEntryBodySchema.extend({
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
}).strict();
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
