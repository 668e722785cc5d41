import { z } from 'zod';

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
  tls: z.boolean().default(false),
});

export const SettingsSchema = z.object({
  importMode: z.enum(['reference', 'copy']),
  localAeTitle: z.string().regex(/^[\x20-\x7e]{1,16}$/),
  localPort: z.number().int().min(1).max(65535),
  forceCpuInference: z.boolean(),
  pacsNodes: z.array(PacsNodeSchema),
});
export type Settings = z.infer<typeof SettingsSchema>;

// ---- library ---------------------------------------------------------------------------------------

export const StudyQuerySchema = z
  .object({
    text: z.string().max(256).optional(),
    modality: z.string().max(16).optional(),
  })
  .strict();

export const SeriesSummarySchema = z.object({
  seriesInstanceUid: z.string(),
  modality: z.string(),
  seriesNumber: z.number().nullable(),
  description: z.string(),
  instanceCount: z.number().int().nonnegative(),
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
  failed: z.array(z.object({ path: z.string(), code: z.string(), reason: z.string() })),
  studies: z.array(z.string()),
});

export const ImportProgressSchema = z.object({
  jobId: z.string(),
  seen: z.number().int(),
  parsed: z.number().int(),
  failed: z.number().int(),
  done: z.boolean(),
});

// ---- the contract ----------------------------------------------------------------------------------

export const contract = {
  app: {
    getInfo: method(Empty, AppInfoSchema),
    pickFolder: method(Empty, PickFolderResultSchema),
  },
  settings: {
    get: method(Empty, SettingsSchema),
    update: method(SettingsSchema.partial().strict(), SettingsSchema),
  },
  library: {
    listStudies: method(StudyQuerySchema, z.array(StudySummarySchema)),
    importPaths: method(ImportRequestSchema, ImportSummarySchema),
    createDemoStudy: method(Empty, ImportSummarySchema),
  },
} as const;

/** Events the back end pushes to the renderer. */
export const events = {
  'library.importProgress': ImportProgressSchema,
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
