import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { measureRangeProblem } from '../../../shared/domain/measureRange';
import type { CsvImportSummary, CsvMapping, PatientTimeline, ProgressionRun, VisitTarget } from '../../../shared/domain/progressionTimeline';
import type { StudySummary } from '../../../shared/ipc/contract';
import type { AuditLog } from '../audit/index';
import { newUid } from '../dicom/uid';
import { parseDicomFile } from '../dicom/parse/index';
import type { LibraryDatabase, LibraryService } from '../library/index';
import { readPart10 } from '../sr/part10';
import { patientStudyOf, writeProgressionReport } from '../sr/index';
import type { ProgressionPrediction } from './runProgression';
import { importMeasuresCsv } from './importMeasuresCsv';
import { buildPatientTimeline } from './patientTimeline';
import { predictTimeline } from './predictTimeline';
import { ProgressionRunner } from './runProgression';
import { srMeasures } from './srMeasures';
import { parseVisitDate } from './visitDates';
import { VisitMeasureStore } from './visitMeasureStore';

export interface ProgressionServiceOptions {
  db: LibraryDatabase;
  /** Where a saved progression SR is imported (copied into the managed store), so exports carry it. */
  library: Pick<LibraryService, 'importPaths'>;
  audit: AuditLog;
  modelsDir: string;
  /** Who a form entry is recorded as; default: the operating-system account. */
  user?: () => string;
}

export interface VisitForm {
  patientId: string;
  visit: VisitTarget;
  /** Values in the manifest's units, by feature name; categorical features take their code. */
  values: Record<string, number>;
  modelId: string;
}

/**
 * The progression panel's back end: visit measures with provenance (CSV, SR, form), the patient
 * timeline merged with the library's studies, and predictions with a progression model chosen by id.
 * Runners (an ONNX session each) are opened once per model and released on dispose.
 */
export class ProgressionService {
  private readonly store: VisitMeasureStore;
  private readonly runners = new Map<string, Promise<ProgressionRunner>>();

  constructor(private readonly options: ProgressionServiceOptions) {
    this.store = new VisitMeasureStore(options.db);
  }

  private runner(modelId: string): Promise<ProgressionRunner> {
    let runner = this.runners.get(modelId);
    if (!runner) {
      runner = ProgressionRunner.open(this.options.modelsDir, modelId);
      // A failed open is not cached: the next request tries again (the model may have been fixed).
      runner.catch(() => this.runners.delete(modelId));
      this.runners.set(modelId, runner);
    }
    return runner;
  }

  /** The patient's library studies, matched on Patient ID exactly (the search matches prefixes). */
  private studiesOf(patientId: string): StudySummary[] {
    return this.options.db.studies({ patientId, limit: 10_000 }).filter((s) => s.patientId === patientId);
  }

  /** Patients with stored measures or library studies, for the panel's patient list. */
  patients(): { patientId: string; visitsWithMeasures: number; studies: number }[] {
    const byId = new Map<string, { patientId: string; visitsWithMeasures: number; studies: number }>();
    for (const p of this.store.patients()) byId.set(p.patientId, { patientId: p.patientId, visitsWithMeasures: p.visits, studies: 0 });
    for (const s of this.options.db.studies({ limit: 10_000 })) {
      const entry = byId.get(s.patientId) ?? { patientId: s.patientId, visitsWithMeasures: 0, studies: 0 };
      entry.studies++;
      byId.set(s.patientId, entry);
    }
    return [...byId.values()].sort((a, b) => a.patientId.localeCompare(b.patientId));
  }

  async importCsv(file: string, modelId: string, mapping?: CsvMapping): Promise<CsvImportSummary> {
    const { spec } = await this.runner(modelId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new LumenError('PROGRESSION_CSV_NOT_FOUND', 'The CSV file could not be read.', { cause: error });
    }
    const summary = importMeasuresCsv(this.store, {
      text,
      file,
      spec,
      ...(mapping ? { mapping } : {}),
      inLibrary: (patientId) => this.studiesOf(patientId).length > 0,
    });
    this.options.audit.append({ action: 'progression.import', outcome: 'success', detail: `rows: ${summary.rows}, values: ${summary.valuesStored}, patients: ${summary.patients.length}` });
    return summary;
  }

  /**
   * Reads the measures of SR instances in the patient's studies that were not read before: each SR is
   * read once, so a later form correction of one of its values stays. An unreadable SR is skipped and
   * not marked, so it is tried again.
   */
  private async readSrMeasures(patientId: string, spec: ProgressionRunner['spec']): Promise<void> {
    for (const sr of this.store.unreadSrInstances(patientId)) {
      let measures;
      try {
        measures = srMeasures(readPart10(new Uint8Array(await readFile(sr.path))).dataset, spec.features);
      } catch {
        continue;
      }
      const date = parseVisitDate(sr.studyDate);
      this.store.transaction(() => {
        if (measures.length > 0) {
          const visitId = this.store.visitOfStudy(sr.studyInstanceUid) ?? (date ? this.store.visitFor(patientId, { date }, { studyInstanceUid: sr.studyInstanceUid }) : null);
          if (visitId !== null) for (const m of measures) this.store.setMeasure(visitId, m.feature, m.value, { source: 'sr', sopInstanceUid: sr.sopInstanceUid });
        }
        this.store.markSrRead(sr.sopInstanceUid);
      });
    }
  }

  async timeline(patientId: string, modelId: string): Promise<PatientTimeline> {
    const { spec } = await this.runner(modelId);
    await this.readSrMeasures(patientId, spec);
    return buildPatientTimeline(patientId, modelId, spec, this.store.visits(patientId), this.studiesOf(patientId));
  }

  /** Saves a clinician's values for one visit (provenance 'form', with time and user); returns the visit id. */
  async saveVisitMeasures(form: VisitForm): Promise<{ visitId: number; saved: number }> {
    const { spec } = await this.runner(form.modelId);
    const known = new Map(spec.features.map((f) => [f.name, f]));
    for (const [name, value] of Object.entries(form.values)) {
      const feature = known.get(name);
      if (!feature) throw new LumenError('PROGRESSION_UNKNOWN_FEATURE', `Model "${form.modelId}" has no measure "${name}".`);
      if (!Number.isFinite(value) || (feature.codes && !Object.values(feature.codes).includes(value))) {
        throw new LumenError('PROGRESSION_BAD_VALUE', `The value for ${name} is not one the model accepts.`);
      }
      const outside = measureRangeProblem(feature, value);
      if (outside) throw new LumenError('PROGRESSION_BAD_VALUE', `${outside}.`);
    }
    const provenance = { source: 'form' as const, at: new Date().toISOString(), user: (this.options.user ?? defaultUser)() };
    const visitId = this.store.transaction(() => {
      const id = this.resolveVisit(form.patientId, form.visit);
      for (const [name, value] of Object.entries(form.values)) this.store.setMeasure(id, name, value, provenance);
      return id;
    });
    this.options.audit.append({ action: 'progression.edit', outcome: 'success', detail: `visit: ${visitId}, values: ${Object.keys(form.values).length}` });
    return { visitId, saved: Object.keys(form.values).length };
  }

  private resolveVisit(patientId: string, target: VisitTarget): number {
    if ('visitId' in target) {
      const visit = this.store.visit(target.visitId);
      if (!visit || visit.patientId !== patientId) throw new LumenError('PROGRESSION_VISIT_NOT_FOUND', 'This visit is not recorded for the patient.');
      return visit.id;
    }
    if ('studyInstanceUid' in target) {
      const linked = this.store.visitOfStudy(target.studyInstanceUid);
      if (linked !== null) return linked;
      const study = this.studiesOf(patientId).find((s) => s.studyInstanceUid === target.studyInstanceUid);
      const date = study ? parseVisitDate(study.studyDate) : null;
      if (!study || !date) throw new LumenError('PROGRESSION_VISIT_NOT_FOUND', 'The study is not in the library for this patient, or has no Study Date.');
      return this.store.visitFor(patientId, { date }, { studyInstanceUid: study.studyInstanceUid });
    }
    if ('date' in target) {
      const date = parseVisitDate(target.date);
      if (!date) throw new LumenError('PROGRESSION_BAD_VALUE', 'The visit date is not a calendar date.');
      return this.store.visitFor(patientId, { date });
    }
    return this.store.visitFor(patientId, { day: target.day });
  }

  async predict(patientId: string, modelId: string, horizonDays: number | null): Promise<ProgressionRun> {
    const runner = await this.runner(modelId);
    const timeline = await this.timeline(patientId, modelId);
    const run = await predictTimeline(runner, timeline, horizonDays);
    this.options.audit.append({ action: 'ai.run', outcome: 'success', detail: `model: ${modelId}, points: ${run.points.length}` });
    return run;
  }

  /**
   * The prediction as a DICOM SR (the risk at each visit, its horizon and the attention weights;
   * sr/progressionReport.ts), added to the library in the patient's latest study (or, for a patient
   * known only from a CSV, a new study of its own) so that an export or a PACS send carries it.
   */
  async saveReport(patientId: string, modelId: string, horizonDays: number | null): Promise<{ sopInstanceUid: string; studyInstanceUid: string; visits: number }> {
    const run = await this.predict(patientId, modelId, horizonDays);
    if (run.points.length === 0) throw new LumenError('PROGRESSION_NOTHING_TO_SAVE', run.note ?? 'There is no prediction to save for this patient.');
    // visit k of the report is the number of visits the model read (the attention covers visits 1..k).
    const predictions: ProgressionPrediction[] = run.points.map((p) => ({
      subject: patientId,
      visit: p.attention.length,
      horizonDays: p.horizonDays,
      risk: p.risk,
      attention: p.attention,
      model: run.model,
      version: run.version,
      provider: run.provider,
    }));
    const written = writeProgressionReport(predictions, await this.patientStudy(patientId));
    const folder = await mkdtemp(path.join(os.tmpdir(), 'lumen-progression-sr-'));
    try {
      const file = path.join(folder, 'progression-sr.dcm');
      await writeFile(file, written.bytes);
      const summary = await this.options.library.importPaths([file], { mode: 'copy' });
      if (summary.instancesAdded !== 1) throw new LumenError('PROGRESSION_SAVE_FAILED', 'The progression report could not be added to the library.');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    return { sopInstanceUid: written.sopInstanceUid, studyInstanceUid: written.studyInstanceUid, visits: predictions.length };
  }

  /** Patient and study modules for a report: the latest library study's, else a new study for the Patient ID. */
  private async patientStudy(patientId: string) {
    const latest = this.studiesOf(patientId).sort((a, b) => b.studyDate.localeCompare(a.studyDate))[0];
    const file = latest ? this.options.db.files(latest.studyInstanceUid)[0] : undefined;
    if (file) return patientStudyOf((await parseDicomFile(file.path, { headerOnly: true })).dataset);
    return { PatientID: patientId, StudyInstanceUID: newUid(), StudyDescription: 'Progression prediction' };
  }

  async dispose(): Promise<void> {
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.then((x) => x.release()).catch(() => undefined)));
  }
}

function defaultUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
