/**
 * De-identification on export (PS3.15 Annex E, Basic Application Level Confidentiality Profile with
 * options): one session per export, `session.deidentify(part10Bytes)` per object, and the encrypted
 * re-identification mapping.
 */
export {
  DeidentificationOptionsSchema,
  deidentificationOptionsFrom,
  type DeidentificationOptions,
  type DeidentificationOptionsInput,
} from '../../../shared/domain/deidentification';
export {
  createDeidentificationSession,
  DeidentificationSession,
  type DeidentificationSessionDeps,
  type DeidentificationWarning,
  type DeidentifiedObject,
} from './deidentificationSession';
export { DeidentificationMappingSchema, type DeidentificationMapping, type PatientMapping } from './deidentificationMapping';
export { decryptMapping, encryptMapping, loadMapping, saveMapping } from './mappingVault';
export { annexE, type AnnexERow } from './annexETable';
