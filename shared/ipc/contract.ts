import { z } from 'zod';
import { MeasuredImageSchema, MeasurementSchema } from '../domain/measurement';
import { ErrorValueSchema } from '../domain/errors';
import { AiAnalysisSchema } from '../domain/aiResult';
import { ModelManifestSchema } from '../domain/modelManifest';
import { ExportProgressSchema, ExportRequestSchema, ExportSummarySchema } from '../domain/export';
import { CsvImportSummarySchema, CsvMappingSchema, PatientTimelineSchema, ProgressionPatientSchema, ProgressionRunSchema, VisitTargetSchema } from '../domain/progressionTimeline';

/**
 * The control channel. One interface per domain; every request, response and event has a zod schema.
 * The back end parses every payload with these before a handler runs (`electron/services/handlers`),
 * the preload and the harness bridge expose exactly one function per method (`bridge.ts`).
 */

export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}

const method = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): MethodSpec<Req, Res> => ({
  request,
  response,
});

const Empty = z.object({}).strict();

// ---- app -------------------------------------------------------------------------------------------

export const AppInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'harness']),
  platform: z.string(),
  researchUseOnly: z.literal(true),
  dataDirectory: z.string(),
});

export const PickFolderResultSchema = z.object({ path: z.string().nullable() });

// ---- settings --------------------------------------------------------------------------------------

export const PacsNodeSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(128),
  aeTitle: z.string().regex(/^[\x20-\x7e]{1,16}$/, 'AE titles are 1-16 printable ASCII characters'),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  dicomWebUrl: z.string().url().optional(),
  /** DIMSE over TLS (PS3.15 B.1); DICOMweb uses TLS when its URL is https. */
  tls: z.boolean().default(false),
  /** PEM files: the CA that signed the PACS's certificate (else the system's), and a client certificate and key for mutual TLS. */
  tlsCaFile: z.string().max(4096).optional(),
  tlsCertFile: z.string().max(4096).optional(),
  tlsKeyFile: z.string().max(4096).optional(),
});

export const SettingsSchema = z.object({
  importMode: z.enum(['reference', 'copy']),
  localAeTitle: z.string().regex(/^[\x20-\x7e]{1,16}$/),
  localPort: z.number().int().min(1).max(65535),
  forceCpuInference: z.boolean(),
  pacsNodes: z.array(PacsNodeSchema),
  /**
   * The C-STORE SCP (receiving from modalities and PACS). Optional, not defaulted: a zod default would
   * reappear in every partial settings.update and overwrite the user's value. Absent means off / none.
   */
  scpEnabled: z.boolean().optional(),
  /** Calling AE titles allowed to send besides the configured PACS nodes. */
  scpAllowedAeTitles: z.array(z.string().regex(/^[\x20-\x7e]{1,16}$/)).max(256).optional(),
  /** Accept any calling AE title (not recommended: anyone on the network could store studies). */
  scpAcceptUnknownAeTitles: z.boolean().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingKeySchema = SettingsSchema.keyof();
export type SettingKey = z.infer<typeof SettingKeySchema>;

/**
 * The machine policy as the settings page sees it: which settings hospital IT manages (read-only for
 * users) and whether the policy file could be applied. `invalid` is never silent: the app shows a banner
 * and runs on safe defaults until the file is fixed.
 */
export const PolicyStatusSchema = z.object({
  state: z.enum(['none', 'applied', 'invalid']),
  /** Where the policy was looked for. */
  file: z.string(),
  /** Why an invalid policy could not be applied (file, key and rule), for IT. */
  problem: z.string().nullable(),
  managedSettings: z.array(SettingKeySchema),
  managedPacsNodeIds: z.array(z.string()),
  userPacsNodesAllowed: z.boolean(),
  dataDirectory: z.string().nullable(),
  enabledModels: z.array(z.string()).nullable(),
  auditExportDirectory: z.string().nullable(),
  updateSource: z.string().nullable(),
});
export type PolicyStatus = z.infer<typeof PolicyStatusSchema>;

/** The About box: what this build is, which models it carries, and the third-party notices. */
export const AboutInfoSchema = z.object({
  version: z.string(),
  commit: z.string(),
  builtAt: z.string(),
  models: z.array(z.object({ id: z.string(), name: z.string(), version: z.string() })),
  /** THIRD_PARTY_NOTICES.txt, or null where it has not been generated (a checkout before packaging). */
  notices: z.string().nullable(),
  researchUseOnly: z.literal('For research use only. Not a medical device.'),
});
export type AboutInfo = z.infer<typeof AboutInfoSchema>;

// ---- library ---------------------------------------------------------------------------------------

/** DICOM DA (YYYYMMDD) or an HTML date input's YYYY-MM-DD. */
const QueryDateSchema = z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/, 'dates are YYYYMMDD or YYYY-MM-DD');

export const StudySortKeySchema = z.enum(['patientName', 'patientId', 'studyDate', 'modality', 'description', 'seriesCount']);

export const StudyQuerySchema = z
  .object({
    /** Free text: any word matches a patient name component, patient ID, accession or description. */
    text: z.string().max(256).optional(),
    modality: z.string().max(16).optional(),
    /** PN search: accent and case insensitive, each word matches the start of a name component. */
    patientName: z.string().max(256).optional(),
    patientId: z.string().max(64).optional(),
    accessionNumber: z.string().max(64).optional(),
    description: z.string().max(256).optional(),
    dateFrom: QueryDateSchema.optional(),
    dateTo: QueryDateSchema.optional(),
    sortBy: StudySortKeySchema.optional(),
    sortDirection: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const SeriesSummarySchema = z.object({
  seriesInstanceUid: z.string(),
  modality: z.string(),
  seriesNumber: z.number().nullable(),
  description: z.string(),
  instanceCount: z.number().int().nonnegative(),
  /** Images: the frames of a multi-frame object count each (an enhanced CT is one file of hundreds). */
  imageCount: z.number().int().nonnegative(),
});

export const StudySummarySchema = z.object({
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  accessionNumber: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
  series: z.array(SeriesSummarySchema),
});
export type StudySummary = z.infer<typeof StudySummarySchema>;

export const ImportRequestSchema = z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict();

export const ImportSummarySchema = z.object({
  jobId: z.string(),
  filesSeen: z.number().int(),
  instancesAdded: z.number().int(),
  /** Instances not added because their SOP Instance UID was already in the library (a re-import, or a copy of a file). */
  alreadyInLibrary: z.number().int(),
  failed: z.array(z.object({ path: z.string(), code: z.string(), reason: z.string() })),
  studies: z.array(z.string()),
});

export const ImportProgressSchema = z.object({
  jobId: z.string(),
  seen: z.number().int(),
  parsed: z.number().int(),
  failed: z.number().int(),
  /** Instances committed to the library so far (new ones; duplicates are not counted). */
  stored: z.number().int().optional(),
  done: z.boolean(),
});

// ---- viewer ----------------------------------------------------------------------------------------

const Vec3Schema = z.tuple([z.number(), z.number(), z.number()]);

export const SampleTypeSchema = z.enum(['uint8', 'int16', 'uint16', 'float32']);
export type SampleType = z.infer<typeof SampleTypeSchema>;

/**
 * What the viewer needs to lay out a series before any pixel arrives. Pixels come over the data
 * channel: `<dataChannel>/pixels/<series>/<frame>`, frame in display order, modality values (HU for
 * CT) of `sampleType`, or interleaved RGB uint8 when samplesPerPixel is 3.
 */
export const SeriesViewSchema = z.object({
  seriesInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  modality: z.string(),
  description: z.string(),
  seriesNumber: z.number().nullable(),
  patient: z.object({ name: z.string(), id: z.string(), birthDate: z.string(), sex: z.string() }),
  study: z.object({ date: z.string(), description: z.string(), accession: z.string() }),
  /** volume: planes with patient geometry, stackable for MPR/3D; images: projection or colour images. */
  kind: z.enum(['volume', 'images']),
  frames: z.number().int().positive(),
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  samplesPerPixel: z.union([z.literal(1), z.literal(3)]),
  sampleType: SampleTypeSchema,
  units: z.string(),
  geometry: z
    .object({
      /** [columns, rows, slices] */
      dimensions: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
      /** [along rows (column spacing), along columns (row spacing), between slices], mm */
      spacing: Vec3Schema,
      origin: Vec3Schema,
      /** row direction, column direction, slice normal (LPS) */
      direction: z.tuple([Vec3Schema, Vec3Schema, Vec3Schema]),
      slicePositions: z.array(Vec3Schema),
      uniformSpacing: z.boolean().nullable(),
      gantryTiltDegrees: z.number().nullable(),
      missingSlices: z.number().int(),
    })
    .nullable(),
  /**
   * Patient Orientation (0020,0020) of images without patient geometry (radiographs): the directions
   * of the rows and of the columns as letters, e.g. ['L', 'F']; null when absent.
   */
  patientOrientation: z.tuple([z.string(), z.string()]).nullable(),
  /** For images without patient geometry: the calibration a length uses. */
  pixelSpacing: z
    .object({ row: z.number(), column: z.number(), source: z.enum(['PixelSpacing', 'ImagerPixelSpacing']), note: z.string().optional() })
    .nullable(),
  /**
   * Ultrasound images without Pixel Spacing: the regions of the Sequence of Ultrasound Regions whose
   * both axes are in cm (PS3.3 C.8.5.5), inside the image, as pixel bounds (inclusive) and mm per
   * pixel. A measurement lying wholly in one is in mm; elsewhere in pixels.
   */
  ultrasoundRegions: z.array(
    z.object({ x0: z.number().int(), y0: z.number().int(), x1: z.number().int(), y1: z.number().int(), columnSpacing: z.number().positive(), rowSpacing: z.number().positive() }),
  ),
  sliceThickness: z.number().nullable(),
  windows: z.array(z.object({ center: z.number(), width: z.number(), explanation: z.string().optional() })),
  /**
   * Each frame's own window, in display order, when the frames carry different ones (per-slice windows
   * of a Siemens MR): the stack view shows each image in its own until the reader sets one. Null when
   * every frame has the series window, or none.
   */
  frameWindows: z.array(z.object({ center: z.number(), width: z.number() }).nullable()).nullable(),
  /** The image each frame shows, in display order: what a measurement on a frame refers to. */
  frameImages: z.array(MeasuredImageSchema),
  voiLutFunction: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']),
  /** MONOCHROME1 or Presentation LUT Shape INVERSE: low values display white. */
  invert: z.boolean(),
  /** Stored range of modality values, for auto window and presets. */
  valueRange: z.tuple([z.number(), z.number()]).nullable(),
  warnings: z.array(z.string()),
});
export type SeriesView = z.infer<typeof SeriesViewSchema>;

export const DataChannelSchema = z.object({
  /** Same origin as the renderer: `lumen://app/data` in the app, `http://127.0.0.1:<port>/data` in the harness. */
  baseUrl: z.string(),
  /** Sent as the X-Lumen-Token header on every data request (the harness's loopback token). */
  token: z.string().nullable(),
});

// ---- network (PACS) --------------------------------------------------------------------------------

const NodeRefSchema = z.object({ nodeId: z.string().min(1).max(64) }).strict();

export const ConnectionTestSchema = z.object({
  nodeId: z.string(),
  /** C-ECHO over DIMSE; null when the node has no DIMSE address to test. */
  dimse: z.object({ ok: z.boolean(), ms: z.number().nullable(), error: ErrorValueSchema.nullable() }).nullable(),
  /** A QIDO-RS request; null when the node has no DICOMweb URL. */
  dicomWeb: z.object({ ok: z.boolean(), ms: z.number().nullable(), error: ErrorValueSchema.nullable() }).nullable(),
});

export const RemoteStudyQuerySchema = z
  .object({
    nodeId: z.string().min(1).max(64),
    /** DICOM PN matching: wildcards (*) allowed, e.g. DOE^J*. */
    patientName: z.string().max(64).optional(),
    patientId: z.string().max(64).optional(),
    accessionNumber: z.string().max(16).optional(),
    /** DA or a DA range (YYYYMMDD-YYYYMMDD), PS3.4 C.2.2.2.5. */
    studyDate: z.string().regex(/^(\d{8})?(-(\d{8})?)?$/).optional(),
    modality: z.string().max(16).optional(),
    via: z.enum(['dimse', 'dicomweb']).optional(),
  })
  .strict();

export const RemoteStudySchema = z.object({
  studyInstanceUid: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  accessionNumber: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
  /** Already in the local library. */
  local: z.boolean(),
});

export const RetrieveRequestSchema = z
  .object({
    nodeId: z.string().min(1).max(64),
    studyInstanceUid: z.string().regex(/^[0-9.]{1,64}$/),
    method: z.enum(['c-move', 'c-get', 'wado-rs']),
  })
  .strict();

export const RetrieveSummarySchema = z.object({
  jobId: z.string(),
  studyInstanceUid: z.string(),
  received: z.number().int(),
  instancesAdded: z.number().int(),
  failed: z.number().int(),
});

export const RetrieveProgressSchema = z.object({
  jobId: z.string(),
  nodeId: z.string(),
  studyInstanceUid: z.string(),
  completed: z.number().int(),
  remaining: z.number().int().nullable(),
  failed: z.number().int(),
  done: z.boolean(),
  error: ErrorValueSchema.nullable(),
});

export const ScpStatusSchema = z.object({
  listening: z.boolean(),
  aeTitle: z.string(),
  port: z.number().int(),
  received: z.number().int(),
  lastError: z.string().nullable(),
});

// ---- ai --------------------------------------------------------------------------------------------

/** An installed model: its card (manifest) when it validated, and why it cannot run when it cannot. */
export const ModelInfoSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  problems: z.array(z.string()),
  manifest: ModelManifestSchema.nullable(),
});

/** The "AI engine" section: what this machine offers, the order tried, and what each model got. */
export const AiEngineStatusSchema = z.object({
  platform: z.string(),
  available: z.array(z.object({ name: z.string(), bundled: z.boolean() })),
  order: z.array(z.string()),
  forceCpu: z.boolean(),
  sessions: z.array(
    z.object({
      key: z.string(),
      provider: z.string(),
      fallbacks: z.array(z.object({ provider: z.string(), reason: z.string() })),
      ms: z.object({ verify: z.number(), create: z.number(), warmUp: z.number() }),
    }),
  ),
  restarts: z.number().int(),
});

const ModelIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

const AnalyzeRequestSchema = z
  .object({
    modelId: ModelIdSchema,
    studyInstanceUid: z.string().min(1).max(64),
    seriesInstanceUid: z.string().min(1).max(64),
    runId: z.string().min(1).max(64),
  })
  .strict();

export const AnalyzeResponseSchema = z.object({
  results: z.array(AiAnalysisSchema),
  /** Images of a series that could not be analysed (not applicable, unreadable); the others ran. */
  failures: z.array(z.object({ path: z.string(), error: ErrorValueSchema })),
});

export const SavedAiResultSchema = AiAnalysisSchema.extend({ seriesInstanceUid: z.string().nullable(), createdAt: z.string() });

// ---- the contract ----------------------------------------------------------------------------------

export const contract = {
  app: {
    getInfo: method(Empty, AppInfoSchema),
    pickFolder: method(Empty, PickFolderResultSchema),
    getDataChannel: method(Empty, DataChannelSchema),
    getAbout: method(Empty, AboutInfoSchema),
  },
  settings: {
    get: method(Empty, SettingsSchema),
    update: method(SettingsSchema.partial().strict(), SettingsSchema),
    getPolicy: method(Empty, PolicyStatusSchema),
  },
  library: {
    listStudies: method(StudyQuerySchema, z.array(StudySummarySchema)),
    importPaths: method(ImportRequestSchema, ImportSummarySchema),
    createDemoStudy: method(Empty, ImportSummarySchema),
    /** The printable study report (PDF) written to `path` (absolute, .pdf); de-identified header on request. */
    createReport: method(
      z.object({ studyInstanceUid: z.string().min(1).max(64), path: z.string().min(1).max(4096), deidentified: z.boolean().optional() }).strict(),
      z.object({ path: z.string(), pages: z.number().int().positive() }),
    ),
  },
  viewer: {
    openSeries: method(z.object({ seriesInstanceUid: z.string().min(1).max(128) }).strict(), SeriesViewSchema),
    /** Replaces the study's saved measurements (what the side panel lists). */
    saveMeasurements: method(
      z.object({ studyInstanceUid: z.string().min(1).max(64), measurements: z.array(MeasurementSchema).max(10_000) }).strict(),
      z.object({ saved: z.number().int() }),
    ),
    loadMeasurements: method(z.object({ studyInstanceUid: z.string().min(1).max(64) }).strict(), z.array(MeasurementSchema)),
  },
  ai: {
    listModels: method(Empty, z.array(ModelInfoSchema)),
    providers: method(Empty, AiEngineStatusSchema),
    /** One image of a series (imageIndex, library order). */
    analyzeImage: method(AnalyzeRequestSchema.extend({ imageIndex: z.number().int().nonnegative().max(100_000) }).strict(), AnalyzeResponseSchema),
    analyzeSeries: method(AnalyzeRequestSchema, AnalyzeResponseSchema),
    cancel: method(z.object({ runId: z.string().min(1).max(64) }).strict(), z.object({ cancelled: z.boolean() })),
    savedResults: method(z.object({ studyInstanceUid: z.string().min(1).max(64) }).strict(), z.array(SavedAiResultSchema)),
  },
  network: {
    testConnection: method(NodeRefSchema, ConnectionTestSchema),
    queryStudies: method(RemoteStudyQuerySchema, z.array(RemoteStudySchema)),
    retrieveStudy: method(RetrieveRequestSchema, RetrieveSummarySchema),
    scpStatus: method(Empty, ScpStatusSchema),
    /** Starts or stops the C-STORE SCP now and remembers the choice (settings.scpEnabled). */
    setScpEnabled: method(z.object({ enabled: z.boolean() }).strict(), ScpStatusSchema),
  },
  /** Progression models over a patient's visits (shared/domain/progressionTimeline.ts). */
  progression: {
    patients: method(Empty, z.array(ProgressionPatientSchema)),
    timeline: method(z.object({ patientId: z.string().min(1).max(64), modelId: ModelIdSchema }).strict(), PatientTimelineSchema),
    /** A visit table (OASIS columns, or `mapping`): the subject column is read as the Patient ID. */
    importMeasuresCsv: method(z.object({ path: z.string().min(1).max(4096), modelId: ModelIdSchema, mapping: CsvMappingSchema.optional() }).strict(), CsvImportSummarySchema),
    saveVisitMeasures: method(
      z
        .object({
          patientId: z.string().min(1).max(64),
          modelId: ModelIdSchema,
          visit: VisitTargetSchema,
          values: z.record(z.string().max(64), z.number().finite()),
        })
        .strict(),
      z.object({ visitId: z.number().int(), saved: z.number().int() }),
    ),
    /** Without horizonDays: each visit's risk for the interval to the next visit, as the model was trained. */
    predict: method(
      z.object({ patientId: z.string().min(1).max(64), modelId: ModelIdSchema, horizonDays: z.number().int().min(1).max(10_000).optional() }).strict(),
      ProgressionRunSchema,
    ),
    /** The same prediction saved as a DICOM SR in the patient's latest library study, for export and PACS. */
    saveReport: method(
      z.object({ patientId: z.string().min(1).max(64), modelId: ModelIdSchema, horizonDays: z.number().int().min(1).max(10_000).optional() }).strict(),
      z.object({ sopInstanceUid: z.string(), studyInstanceUid: z.string(), visits: z.number().int() }),
    ),
  },
  /** Export of library studies to a folder (DICOMDIR), a ZIP or a PACS node (shared/domain/export.ts). */
  export: {
    /** Runs to the end and answers the summary; pass jobId to be able to cancel while it runs. */
    start: method(ExportRequestSchema, ExportSummarySchema),
    cancel: method(z.object({ jobId: z.string().min(1).max(64) }).strict(), z.object({ cancelled: z.boolean() })),
  },
} as const;

/** Events the back end pushes to the renderer. */
export const events = {
  'library.importProgress': ImportProgressSchema,
  'network.retrieveProgress': RetrieveProgressSchema,
  /** An AI run: images done of total, and the stage of the current one (preprocess, classify, ood, done). */
  'ai.progress': z.object({ runId: z.string(), seriesInstanceUid: z.string(), done: z.number().int(), total: z.number().int(), stage: z.string() }),
  /** Frames of a series decoded so far (display order does not matter; the data channel waits). */
  'viewer.loadProgress': z.object({ seriesInstanceUid: z.string(), loaded: z.number().int(), total: z.number().int() }),
  /** An export: objects done of total, with the result of the one just finished. */
  'export.progress': ExportProgressSchema,
  /**
   * Instances were added to the library (an import, a retrieve, images sent to this workstation): the
   * studies and series they joined. A series open in the viewer is out of date until read again.
   */
  'library.changed': z.object({ studyInstanceUids: z.array(z.string()), seriesInstanceUids: z.array(z.string()) }),
} as const;

export type Contract = typeof contract;
export type DomainName = keyof Contract;
export type MethodName<D extends DomainName> = keyof Contract[D] & string;
export type ChannelName = { [D in DomainName]: `${D}.${MethodName<D>}` }[DomainName];
export type EventName = keyof typeof events;

type Spec<D extends DomainName, M extends MethodName<D>> = Contract[D][M] extends MethodSpec<infer Req, infer Res>
  ? { request: Req; response: Res }
  : never;
export type RequestOf<D extends DomainName, M extends MethodName<D>> = z.input<Spec<D, M>['request']>;
export type ResponseOf<D extends DomainName, M extends MethodName<D>> = z.output<Spec<D, M>['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Every channel, `domain.method`, in a stable order: what the preload and the harness bridge expose. */
export function channelNames(): ChannelName[] {
  return (Object.keys(contract) as DomainName[]).flatMap((domain) =>
    Object.keys(contract[domain]).map((m) => `${domain}.${m}` as ChannelName),
  );
}

export function lookupMethod(channel: string): MethodSpec | undefined {
  const [domain, name, ...rest] = channel.split('.');
  if (!domain || !name || rest.length > 0 || !Object.hasOwn(contract, domain)) return undefined;
  const methods = contract[domain as DomainName] as Record<string, MethodSpec>;
  return Object.hasOwn(methods, name) ? methods[name] : undefined;
}
