import { z } from 'zod';
import { DeidentificationOptionsSchema } from '../../../shared/domain/deidentification';

/**
 * What an authorised person needs to re-identify an export: every original UID with its replacement, and
 * per original patient the pseudonym and the date shift. It holds patient identity, so it only ever
 * leaves memory encrypted (mappingVault.ts).
 */
export const PatientMappingSchema = z
  .object({
    /** Patient ID (0010,0020) and Patient's Name (0010,0010) as decoded from the source's character set. */
    originalPatientId: z.string(),
    originalPatientName: z.string(),
    pseudonym: z.string(),
    /** Days added to every date of this patient (negative: moved into the past); 0 when dates were not shifted. */
    dateOffsetDays: z.number().int(),
  })
  .strict();
export type PatientMapping = z.infer<typeof PatientMappingSchema>;

export const DeidentificationMappingSchema = z
  .object({
    format: z.literal('lumen-deidentification-mapping'),
    version: z.literal(1),
    createdAt: z.string(),
    options: DeidentificationOptionsSchema,
    uids: z.record(z.string(), z.string()),
    patients: z.array(PatientMappingSchema),
  })
  .strict();
export type DeidentificationMapping = z.infer<typeof DeidentificationMappingSchema>;
