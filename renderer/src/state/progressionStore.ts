import { create } from 'zustand';
import { call } from '../api/client';
import type { ResponseOf } from '../../../shared/ipc/contract';
import type { CsvImportSummary, CsvMapping, PatientTimeline, ProgressionRun, VisitTarget } from '../../../shared/domain/progressionTimeline';

type Patient = ResponseOf<'progression', 'patients'>[number];

export interface ProgressionModel {
  id: string;
  /** Name and version for the picker, everything else for the model card. */
  manifest: Manifest;
  /** What a visit table must hold, from the manifest: the default column of each mapping entry. */
  columns: { subject: string; day: string; visit: string; features: { name: string; column: string; unit: string }[] };
}

type Manifest = NonNullable<ResponseOf<'ai', 'listModels'>[number]['manifest']>;

function visitTableColumns(manifest: Manifest): ProgressionModel['columns'] {
  const group = manifest.preprocessing.find((p) => p.op === 'group-visits') as { subjectColumn?: unknown; daysColumn?: unknown; visitColumn?: unknown } | undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    subject: text(group?.subjectColumn),
    day: text(group?.daysColumn),
    visit: text(group?.visitColumn),
    features: (manifest.features ?? []).map((f) => ({ name: f.name, column: f.column, unit: f.unit })),
  };
}

/** Days ahead of each visit the risk is for; null: to the next visit, as the model was trained. */
export type Horizon = number | null;

interface ProgressionState {
  models: ProgressionModel[];
  modelId: string | null;
  patients: Patient[];
  patientId: string | null;
  timeline: PatientTimeline | null;
  run: ProgressionRun | null;
  horizon: Horizon;
  /** The prediction point (a visit id) whose attention the timeline draws; null: the latest. */
  selectedPoint: number | null;
  /** The visit the form edits, or null when the form is closed. */
  editing: VisitTarget | null;
  importResult: CsvImportSummary | null;
  importError: string | null;
  error: string | null;
  busy: boolean;
  /** Loads the progression models and the patient list; opens `patientId` when given. */
  init(patientId?: string): Promise<void>;
  openPatient(patientId: string): Promise<void>;
  setModel(modelId: string): Promise<void>;
  setHorizon(horizon: Horizon): Promise<void>;
  selectPoint(visitId: number | null): void;
  edit(target: VisitTarget | null): void;
  importCsv(path: string, mapping?: CsvMapping): Promise<void>;
  saveVisit(target: VisitTarget, values: Record<string, number>): Promise<boolean>;
  /** What the last "save as DICOM SR" did, for the panel to say. */
  reportSaved: string | null;
  /** Saves the shown prediction as a DICOM SR in the patient's latest library study. */
  saveReport(): Promise<void>;
}

export const useProgressionStore = create<ProgressionState>((set, get) => {
  let ticket = 0;
  /** Timeline and prediction of the open patient; an older answer never overwrites a newer one. */
  const refresh = async () => {
    const { patientId, modelId, horizon } = get();
    if (!patientId || !modelId) return;
    const mine = ++ticket;
    set({ busy: true, error: null });
    const [timeline, run] = await Promise.all([
      call('progression', 'timeline', { patientId, modelId }),
      call('progression', 'predict', { patientId, modelId, ...(horizon === null ? {} : { horizonDays: horizon }) }),
    ]);
    if (mine !== ticket) return;
    set({
      busy: false,
      timeline: timeline.ok ? timeline.value : null,
      run: run.ok ? run.value : null,
      error: !timeline.ok ? timeline.error.message : !run.ok ? run.error.message : null,
    });
  };
  const loadPatients = async () => {
    const patients = await call('progression', 'patients', {});
    if (patients.ok) set({ patients: patients.value });
  };

  return {
    models: [],
    modelId: null,
    patients: [],
    patientId: null,
    timeline: null,
    run: null,
    horizon: 365,
    selectedPoint: null,
    editing: null,
    importResult: null,
    importError: null,
    error: null,
    busy: false,
    init: async (patientId) => {
      const models = await call('ai', 'listModels', {});
      if (!models.ok) return set({ error: models.error.message });
      // Any installed progression model can be chosen: the app reads its features from its manifest.
      const progression = models.value.flatMap((m) =>
        m.ok && m.manifest?.task === 'progression' ? [{ id: m.id, manifest: m.manifest, columns: visitTableColumns(m.manifest) }] : [],
      );
      const current = get().modelId;
      set({ models: progression, modelId: current && progression.some((m) => m.id === current) ? current : (progression[0]?.id ?? null) });
      if (progression.length === 0) set({ error: 'No progression model is installed.' });
      await loadPatients();
      if (patientId) await get().openPatient(patientId);
      else await refresh();
    },
    openPatient: async (patientId) => {
      set({ patientId, timeline: null, run: null, selectedPoint: null, editing: null, reportSaved: null });
      await refresh();
    },
    setModel: async (modelId) => {
      set({ modelId, selectedPoint: null });
      await refresh();
    },
    setHorizon: async (horizon) => {
      set({ horizon, selectedPoint: null });
      await refresh();
    },
    selectPoint: (visitId) => set({ selectedPoint: visitId }),
    edit: (target) => set({ editing: target }),
    importCsv: async (path, mapping) => {
      const modelId = get().modelId;
      if (!modelId) return set({ importError: 'No progression model is installed: its manifest says which columns to read.' });
      set({ importError: null, importResult: null });
      const result = await call('progression', 'importMeasuresCsv', { path, modelId, ...(mapping ? { mapping } : {}) });
      if (!result.ok) return set({ importError: result.error.message });
      set({ importResult: result.value });
      await loadPatients();
      await refresh();
    },
    reportSaved: null,
    saveReport: async () => {
      const { patientId, modelId, horizon } = get();
      if (!patientId || !modelId) return;
      set({ reportSaved: null, error: null });
      const result = await call('progression', 'saveReport', { patientId, modelId, ...(horizon === null ? {} : { horizonDays: horizon }) });
      // Written for the patient it was asked for; the message does not appear under the next one.
      if (get().patientId !== patientId) return;
      if (!result.ok) return set({ error: result.error.message });
      set({ reportSaved: `Saved as a DICOM SR (${result.value.visits} visit${result.value.visits === 1 ? '' : 's'}) in study ${result.value.studyInstanceUid}: export or send the study to share it.` });
    },
    saveVisit: async (target, values) => {
      const { patientId, modelId } = get();
      if (!patientId || !modelId) return false;
      const result = await call('progression', 'saveVisitMeasures', { patientId, modelId, visit: target, values });
      if (!result.ok) {
        set({ error: result.error.message });
        return false;
      }
      set({ editing: null });
      await loadPatients();
      await refresh();
      return true;
    },
  };
});
