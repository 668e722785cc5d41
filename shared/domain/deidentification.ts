import { z } from 'zod';
import type { DeidentifyOption } from './export';

/**
 * What the user chose for a de-identified export: the PS3.15 Annex E Basic Application Level
 * Confidentiality Profile plus the options Lumen offers (PS3.15 E.3). Every option is off by default, so
 * the default is the basic profile alone.
 */
export const DeidentificationOptionsSchema = z
  .object({
    /** Retain Longitudinal Temporal Information with Modified Dates Option (PS3.15 E.3.6). */
    retainLongitudinalModifiedDates: z.boolean().default(false),
    /** Retain Patient Characteristics Option (PS3.15 E.3.7). */
    retainPatientCharacteristics: z.boolean().default(false),
    /** Clean Descriptors Option (PS3.15 E.3.5). */
    cleanDescriptors: z.boolean().default(false),
    /** Retain Device Identity Option (PS3.15 E.3.8). */
    retainDeviceIdentity: z.boolean().default(false),
    /** Retain UIDs Option (PS3.15 E.3.9). */
    retainUids: z.boolean().default(false),
    /** Burned In Annotation (0028,0301) = YES: refuse the object, or de-identify it with a warning. */
    burnedInAnnotation: z.enum(['refuse', 'warn']).default('refuse'),
    /** Replacement Patient's Name / Patient ID are this prefix plus a number per original patient. */
    pseudonymPrefix: z.string().regex(/^[A-Z0-9]{1,8}$/).default('ANON'),
  })
  .strict();
export type DeidentificationOptions = z.output<typeof DeidentificationOptionsSchema>;
export type DeidentificationOptionsInput = z.input<typeof DeidentificationOptionsSchema>;

/** The export request's option list (shared/domain/export.ts) as de-identification options. */
export function deidentificationOptionsFrom(options: readonly DeidentifyOption[], burnedInAnnotation: 'refuse' | 'warn' = 'refuse'): DeidentificationOptions {
  const has = (o: DeidentifyOption) => options.includes(o);
  return DeidentificationOptionsSchema.parse({
    retainLongitudinalModifiedDates: has('retain-longitudinal-modified-dates'),
    retainPatientCharacteristics: has('retain-patient-characteristics'),
    cleanDescriptors: has('clean-descriptors'),
    retainDeviceIdentity: has('retain-device-identity'),
    retainUids: has('retain-uids'),
    burnedInAnnotation,
  });
}
