/** DICOM parsing: header-only and full reads of Part 10 files and bare data sets (PS3.5, PS3.10). */
export { openDicomFileSync, parseDicomBytes, parseDicomFile, parseDicomFileHeader, type ParseOptions } from './parseDicom';
export { imageAttributes, nativeFrameBytes, nativePixelBytes, numberOf, numbersOf, stringOf, type ImageAttributes } from './imageAttributes';
export { characterSetFor, type CharacterSet } from './characterSet';
export type { PersonName } from './elementValue';
export { transferSyntaxLayout } from './transferSyntax';
export { LONG_VRS, VALID_VRS } from './valueRepresentation';
