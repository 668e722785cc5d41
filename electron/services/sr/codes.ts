/**
 * Coded concepts Lumen's SR documents use, as PS3.16 lists them (DCM: PS3.16 Annex D; SCT: SNOMED CT;
 * UCUM units; CS3DTEXT/99dcmjs: the free-text label code OHIF and dcmjs write, so OHIF shows our labels).
 */
export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

const code = (value: string, scheme: string, meaning: string): Code => ({ value, scheme, meaning });

export const CODES = {
  // TID 1500 Measurement Report and its sub-templates (PS3.16 A.35.1, TID 1501, TID 300, TID 320)
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  languageOfContent: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  english: code('en', 'RFC5646', 'English'),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  imagingProcedure: code('363679005', 'SCT', 'Imaging procedure'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUniqueIdentifier: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  // TID 1002 Observer Context / TID 1004 Device Observer Identifying Attributes
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceObserverUid: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceObserverModelName: code('121015', 'DCM', 'Device Observer Model Name'),
  // Measurement concepts (TID 300 / CID 7469, 7464)
  length: code('410668003', 'SCT', 'Length'),
  angle: code('1483009', 'SCT', 'Angle'),
  area: code('42798000', 'SCT', 'Area'),
  mean: code('373098007', 'SCT', 'Mean'),
  standardDeviation: code('386136009', 'SCT', 'Standard Deviation'),
  minimum: code('255605001', 'SCT', 'Minimum'),
  maximum: code('56851009', 'SCT', 'Maximum'),
  numberOfPixels: code('PIXELS', '99LUMEN', 'Number of pixels in region'),
  freeTextLabel: code('CS3DTEXT', '99dcmjs', ''),
  // AI results (TID 4019 Algorithm Identification; CID 6137/7035-style findings)
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  algorithmParameters: code('111002', 'DCM', 'Algorithm Parameters'),
  probability: code('PROBABILITY', '99LUMEN', 'Probability of finding'),
  threshold: code('THRESHOLD', '99LUMEN', 'Decision threshold'),
  prediction: code('PREDICTION', '99LUMEN', 'Predicted class'),
  oodScore: code('OOD_SCORE', '99LUMEN', 'Out-of-distribution score'),
  oodVerdict: code('OOD_VERDICT', '99LUMEN', 'Out-of-distribution verdict'),
  executionProvider: code('PROVIDER', '99LUMEN', 'Execution provider'),
  intendedUse: code('INTENDED_USE', '99LUMEN', 'Intended use'),
  activationMap: code('ACTIVATION', '99LUMEN', 'Model activation'),
  label: code('LABEL', '99LUMEN', 'Model output label'),
  analysisTime: code('ANALYSIS_MS', '99LUMEN', 'Analysis time'),
  inferenceTime: code('INFERENCE_MS', '99LUMEN', 'Inference time'),
  providerFallback: code('FALLBACK', '99LUMEN', 'Execution provider passed over'),
  activationMapGrid: code('HEATMAP', '99LUMEN', 'Activation map grid and analysed frame'),
  patientPoints: code('POINTS_LPS', '99LUMEN', 'Measurement points in patient coordinates (mm)'),
  sourceOfMeasurement: code('121112', 'DCM', 'Source of Measurement'),
  algorithmFamily: code('111000', 'DCM', 'Algorithm Family'),
  artificialIntelligence: code('AI', '99LUMEN', 'Machine learning classifier'),
  progressionReport: code('PROGRESSION', '99LUMEN', 'Progression risk report'),
  subject: code('SUBJECT', '99LUMEN', 'Subject'),
  visit: code('VISIT', '99LUMEN', 'Visit'),
  visitNumber: code('VISIT_NUMBER', '99LUMEN', 'Visit number'),
  horizon: code('HORIZON', '99LUMEN', 'Prediction horizon'),
  risk: code('RISK', '99LUMEN', 'Risk of progression'),
  attentionWeight: code('ATTENTION', '99LUMEN', 'Attention weight'),
  yes: code('373066001', 'SCT', 'Yes'),
  no: code('373067005', 'SCT', 'No'),
} as const;

/**
 * Lumen's private coding scheme (PS3.3 C.12.1.1.2: a "99" prefix is private); described in every
 * document's Coding Scheme Identification Sequence so a reader can tell whose codes they are.
 */
export const LUMEN_SCHEME = {
  CodingSchemeDesignator: '99LUMEN',
  CodingSchemeName: 'Lumen workstation codes',
  CodingSchemeResponsibleOrganization: 'Lumen',
};

/** UCUM units (PS3.16 CID 7181-style): the unit code, and what Lumen calls it. */
export const UNITS: Record<string, Code> = {
  mm: code('mm', 'UCUM', 'millimeter'),
  deg: code('deg', 'UCUM', 'degree'),
  mm2: code('mm2', 'UCUM', 'square millimeter'),
  HU: code("[hnsf'U]", 'UCUM', 'Hounsfield unit'),
  none: code('1', 'UCUM', 'no units'),
  pixels: code('{pixels}', 'UCUM', 'pixels'),
  ms: code('ms', 'UCUM', 'millisecond'),
  days: code('d', 'UCUM', 'day'),
  probability: code('{probability}', 'UCUM', 'probability'),
};

/** The UCUM code of modality units as Lumen names them ('HU', '' for none, else the name itself). */
export function unitCode(units: string): Code {
  if (units === 'HU') return UNITS.HU!;
  if (units === '') return UNITS.none!;
  return code(units, 'UCUM', units);
}

/** Lumen's name of modality units from a UCUM code (inverse of unitCode). */
export function unitName(c: { value: string }): string {
  if (c.value === UNITS.HU!.value) return 'HU';
  if (c.value === UNITS.none!.value) return '';
  return c.value;
}

export function sameCode(a: { value: string; scheme: string } | undefined, b: Code): boolean {
  return !!a && a.value === b.value && (a.scheme === b.scheme || (a.scheme === 'SRT' && b.scheme === 'SCT'));
}
