import { z } from 'zod';
import { ErrorValueSchema } from './errors';

/**
 * An export: studies from the library (plus the objects Lumen derives from them) leaving the workstation
 * to a folder with a DICOMDIR, a ZIP, or a PACS node. Shared by the IPC contract, the CLI and the service.
 */

const UidSchema = z.string().regex(/^[0-9.]{1,64}$/);

/**
 * The user-selectable options of the PS3.15 Annex E Basic Application Level Confidentiality Profile
 * that Lumen offers (issue 10): each keeps or cleans what the basic profile would otherwise remove.
 */
export const DeidentifyOptionSchema = z.enum([
  'retain-longitudinal-modified-dates',
  'retain-patient-characteristics',
  'clean-descriptors',
  'retain-device-identity',
  'retain-uids',
]);
export type DeidentifyOption = z.infer<typeof DeidentifyOptionSchema>;
export const DEIDENTIFY_OPTIONS = DeidentifyOptionSchema.options;

export const ExportDestinationSchema = z.discriminatedUnion('kind', [
  /** A PS3.10 File-set: DICOMDIR plus DICOM/... files; the folder must not exist or be empty. */
  z.object({ kind: z.literal('folder'), path: z.string().min(1).max(4096) }).strict(),
  /** The same File-set inside a ZIP archive. */
  z.object({ kind: z.literal('zip'), path: z.string().min(1).max(4096) }).strict(),
  /** A PACS node from settings, by C-STORE (PS3.4 B) or STOW-RS (PS3.18 10.5). */
  z.object({ kind: z.literal('pacs'), nodeId: z.string().min(1).max(64), method: z.enum(['c-store', 'stow-rs']) }).strict(),
]);
export type ExportDestination = z.infer<typeof ExportDestinationSchema>;

export const ExportDeidentifySchema = z
  .object({
    options: z.array(DeidentifyOptionSchema).max(DEIDENTIFY_OPTIONS.length),
    /** Images flagged Burned In Annotation = YES: refuse them (default) or export them with a warning. */
    burnedInAnnotation: z.enum(['refuse', 'warn']).default('refuse'),
    /** Where the encrypted original-to-new mapping is saved, for authorised re-identification. */
    mappingFile: z.string().min(1).max(4096).optional(),
    passphrase: z.string().min(1).max(1024).optional(),
  })
  .strict();
export type ExportDeidentify = z.infer<typeof ExportDeidentifySchema>;

export const ExportRequestSchema = z
  .object({
    studyInstanceUids: z.array(UidSchema).min(1).max(1000),
    destination: ExportDestinationSchema,
    deidentify: ExportDeidentifySchema.nullable().default(null),
    /** The viewer's measurements as a DICOM SR (TID 1500). */
    includeMeasurements: z.boolean().default(false),
    /** Saved AI results as SR / parametric map / secondary capture. */
    includeAi: z.boolean().default(false),
    /** With includeAi: also each activation map burned into a Secondary Capture, for viewers without Parametric Map. */
    includeSecondaryCapture: z.boolean().default(false),
    /** Chosen by the caller so it can cancel before the start answers; a UUID otherwise. */
    jobId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type ExportRequest = z.input<typeof ExportRequestSchema>;
export type ParsedExportRequest = z.output<typeof ExportRequestSchema>;

/** What happened to one object: stored (with its file ID in a File-set), failed with a reason, or skipped. */
export const ExportObjectResultSchema = z.object({
  sopInstanceUid: z.string(),
  sopClassUid: z.string().nullable(),
  studyInstanceUid: z.string(),
  /** library (a stored file) or derived (written for this export: SR, parametric map, ...). */
  origin: z.enum(['library', 'derived']),
  status: z.enum(['stored', 'failed', 'warning']),
  /** PS3.10 File ID in the File-set (folder, zip), slash-separated; null for PACS. */
  fileId: z.string().nullable(),
  error: ErrorValueSchema.nullable(),
});
export type ExportObjectResult = z.infer<typeof ExportObjectResultSchema>;

export const ExportSummarySchema = z.object({
  jobId: z.string(),
  destination: ExportDestinationSchema,
  total: z.number().int(),
  stored: z.number().int(),
  failed: z.number().int(),
  /** Stored with a warning (e.g. burned-in annotation exported because the user chose "warn"). */
  warnings: z.number().int(),
  cancelled: z.boolean(),
  /** A stop for the whole export (disk full, PACS unreachable); null when it ran to the end. */
  error: ErrorValueSchema.nullable(),
  /** Where the File-set ended up (folder or zip); null when nothing complete was written. */
  output: z.string().nullable(),
  results: z.array(ExportObjectResultSchema),
});
export type ExportSummary = z.infer<typeof ExportSummarySchema>;

export const ExportProgressSchema = z.object({
  jobId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  failed: z.number().int(),
  /** The object just finished (absent on the start and final events). */
  result: ExportObjectResultSchema.optional(),
  finished: z.boolean(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;
