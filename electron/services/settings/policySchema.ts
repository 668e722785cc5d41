import path from 'node:path';
import { z } from 'zod';
import { PacsNodeSchema, SettingsSchema } from '../../../shared/ipc/contract';

/**
 * The machine policy: what hospital IT fixes for every user of a workstation, in one JSON file
 * (see policyLocation.ts). Every key but schemaVersion is optional; a key present is managed. Unknown keys
 * are an error, not ignored: a misspelt key would otherwise leave a setting unmanaged without anyone
 * noticing.
 */
const AbsolutePath = z
  .string()
  .min(1)
  .refine((p) => path.isAbsolute(p) || path.win32.isAbsolute(p), 'must be an absolute path');

export const ModelIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'model ids are lower-case words joined by hyphens');

export const UpdateSourcePolicySchema = z
  .object({
    /** A generic update server's folder, holding latest*.yml and the installers. */
    url: z.string().url(),
    /** Ed25519 public key (PEM, SPKI) that every installer's detached `.sig` must verify against. */
    publicKey: z.string().includes('BEGIN PUBLIC KEY'),
    /** DNS suffixes the hospital declares internal (for example "radiology.example-hospital.org"). */
    internalDomains: z.array(z.string().regex(/^[a-z0-9.-]+$/i)).default([]),
    /** Windows: the Authenticode publisher an installer must be signed by. */
    publisherName: z.string().min(1).optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    schemaVersion: z.literal(1),
    /** PACS nodes every user sees; they cannot be edited or removed. */
    pacsNodes: z.array(PacsNodeSchema).max(64).optional(),
    /** false: users may not add PACS nodes of their own (only the managed ones exist). */
    allowUserPacsNodes: z.boolean().optional(),
    localAeTitle: SettingsSchema.shape.localAeTitle.optional(),
    localPort: SettingsSchema.shape.localPort.optional(),
    importMode: SettingsSchema.shape.importMode.optional(),
    /** Where the study library, settings and audit log live (for example a local data volume). */
    dataDirectory: AbsolutePath.optional(),
    /** "cpu" forces CPU inference; "auto" lets Lumen use a GPU provider where one is available. */
    executionProvider: z.enum(['cpu', 'auto']).optional(),
    /** The only models users may run; absent: every installed model. */
    enabledModels: z.array(ModelIdSchema).optional(),
    /** Copies of the hash-chained audit log go to this folder (for example a share IT collects). */
    auditExport: z.object({ directory: AbsolutePath }).strict().optional(),
    /** Hospital-internal update source; without it Lumen never looks for updates. */
    updates: UpdateSourcePolicySchema.optional(),
  })
  .strict();

export type Policy = z.infer<typeof PolicySchema>;
export type UpdateSourcePolicy = z.infer<typeof UpdateSourcePolicySchema>;
