/** The DICOM grayscale and colour pipelines as pure functions (PS3.3 C.11, C.7.6.3), shared by back end and renderer. */
export * from './lut';
export * from './modalityLut';
export * from './voiLut';
export * from './presentationLut';
export * from './paletteColor';
export * from './ybrColour';
