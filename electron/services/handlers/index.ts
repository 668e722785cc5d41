import os from 'node:os';
import type { Services } from '../createServices';
import { LUMEN_VERSION } from '../version';
import { readAboutInfo } from '../install/aboutInfo';
import { createStudyReport, reportServices } from '../report/index';
import type { Handlers } from './dispatch';

/** What only a host can do (native dialogs); the services stay free of Electron. */
export interface HostCapabilities {
  host: 'electron' | 'harness';
  pickFolder(): Promise<string | null>;
  /** Where the renderer fetches pixels (same origin as the renderer), and the token it must send. */
  dataChannel(): { baseUrl: string; token: string | null };
}

/** The contract handlers: the same for the app, the harness and (through services) the CLI. */
export function createHandlers(services: Services, host: HostCapabilities): Handlers {
  return {
    app: {
      getInfo: async () => ({
        version: LUMEN_VERSION,
        host: host.host,
        platform: `${os.platform()}-${os.arch()}`,
        researchUseOnly: true,
        dataDirectory: services.dataDir,
      }),
      pickFolder: async () => ({ path: await host.pickFolder() }),
      getDataChannel: async () => host.dataChannel(),
      getAbout: async () => readAboutInfo(),
    },
    settings: {
      get: async () => services.settings.get(),
      update: async (change) => services.settings.update(change),
      getPolicy: async () => services.settings.policy.status,
    },
    library: {
      listStudies: async (query) => services.library.listStudies(query),
      importPaths: async ({ paths }) => services.library.importPaths(paths),
      createDemoStudy: async () => services.library.createDemoStudy(),
      createReport: async ({ studyInstanceUid, path, deidentified }) => createStudyReport(reportServices(services), { studyInstanceUid, path, deidentified: deidentified ?? false }),
    },
    viewer: {
      openSeries: async ({ seriesInstanceUid }) => services.viewer.openSeries(seriesInstanceUid),
      saveMeasurements: async ({ studyInstanceUid, measurements }) => ({ saved: services.library.saveMeasurements(studyInstanceUid, measurements) }),
      loadMeasurements: async ({ studyInstanceUid }) => services.library.measurements(studyInstanceUid),
    },
    ai: {
      listModels: async () => (await services.ai.listModels()).map((m) => ({ id: m.id, ok: m.problems.length === 0, problems: m.problems, manifest: m.manifest })),
      providers: async () => services.ai.status(),
      analyzeImage: async (request) => services.ai.analyze(request),
      analyzeSeries: async (request) => services.ai.analyze(request),
      cancel: async ({ runId }) => ({ cancelled: services.ai.cancel(runId) }),
      savedResults: async ({ studyInstanceUid }) => services.ai.savedResults(studyInstanceUid),
    },
    network: {
      testConnection: async ({ nodeId }) => services.network.testConnection(nodeId),
      queryStudies: async (query) => services.network.queryStudies(query),
      retrieveStudy: async ({ nodeId, studyInstanceUid, method }) => services.network.retrieveStudy(nodeId, studyInstanceUid, method),
      scpStatus: async () => services.network.scpStatus(),
      setScpEnabled: async ({ enabled }) => services.network.setScpEnabled(enabled),
    },
    progression: {
      patients: async () => services.progression.patients(),
      timeline: async ({ patientId, modelId }) => services.progression.timeline(patientId, modelId),
      importMeasuresCsv: async ({ path, modelId, mapping }) => services.progression.importCsv(path, modelId, mapping),
      saveVisitMeasures: async (form) => services.progression.saveVisitMeasures(form),
      predict: async ({ patientId, modelId, horizonDays }) => services.progression.predict(patientId, modelId, horizonDays ?? null),
      saveReport: async ({ patientId, modelId, horizonDays }) => services.progression.saveReport(patientId, modelId, horizonDays ?? null),
    },
    export: {
      start: async (request) => services.export.start(request),
      cancel: async ({ jobId }) => ({ cancelled: services.export.cancel(jobId) }),
    },
  };
}

export { createDispatch, type Dispatch, type Handlers } from './dispatch';
