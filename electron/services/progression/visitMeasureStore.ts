import { MeasureProvenanceSchema, type MeasureProvenance, type VisitMeasure } from '../../../shared/domain/progressionTimeline';
import type { LibraryDatabase } from '../library/index';

/** A stored visit of a patient with the measures recorded for it. */
export interface StoredVisit {
  id: number;
  patientId: string;
  /** DICOM DA (YYYYMMDD) or null for a visit known only by its day offset. */
  date: string | null;
  /** Days since the patient's first visit, for visits without a calendar date (CSV MR Delay). */
  day: number | null;
  visitNumber: number | null;
  studyInstanceUid: string | null;
  measures: VisitMeasure[];
}

/** Where a value goes: a calendar date, or a day offset for visit tables without dates. */
export type VisitKey = { date: string; day?: undefined } | { day: number; date?: undefined };

/** An SR instance of the library that may hold measures (PS3.3 A.35), with its study's date. */
export interface SrInstance {
  sopInstanceUid: string;
  path: string;
  studyInstanceUid: string;
  studyDate: string;
}

interface VisitRow {
  id: number;
  patient_id: string;
  visit_date: string | null;
  visit_day: number | null;
  visit_number: number | null;
  study_instance_uid: string | null;
}

/**
 * Per-patient visit measures in the library database (migration 2): one value per visit and feature,
 * each with its provenance. The tables live in the library file so a backup or a move of the library
 * carries them; this is the only module that writes them.
 */
export class VisitMeasureStore {
  constructor(private readonly library: LibraryDatabase) {}

  private get db() {
    return this.library.connection;
  }

  transaction<T>(work: () => T): T {
    return this.library.transaction(work);
  }

  /** The visit for this key, created when absent. `visitNumber` and the study link fill in when known. */
  visitFor(patientId: string, key: VisitKey, extra: { visitNumber?: number | null; studyInstanceUid?: string | null } = {}): number {
    const found = (
      key.date !== undefined
        ? this.db.get('SELECT id FROM progression_visits WHERE patient_id = ? AND visit_date = ?', [patientId, key.date])
        : this.db.get('SELECT id FROM progression_visits WHERE patient_id = ? AND visit_date IS NULL AND visit_day = ?', [patientId, key.day])
    ) as { id: number } | null;
    if (found) {
      if (extra.visitNumber != null) this.db.run('UPDATE progression_visits SET visit_number = ? WHERE id = ?', [extra.visitNumber, found.id]);
      if (extra.studyInstanceUid) this.db.run('UPDATE progression_visits SET study_instance_uid = ? WHERE id = ?', [extra.studyInstanceUid, found.id]);
      return found.id;
    }
    const result = this.db.run(
      'INSERT INTO progression_visits (patient_id, visit_date, visit_day, visit_number, study_instance_uid) VALUES (?, ?, ?, ?, ?)',
      [patientId, key.date ?? null, key.day ?? null, extra.visitNumber ?? null, extra.studyInstanceUid ?? null],
    );
    return Number(result.lastInsertRowid);
  }

  /** The visit linked to a library study, if one was recorded. */
  visitOfStudy(studyInstanceUid: string): number | null {
    const row = this.db.get('SELECT id FROM progression_visits WHERE study_instance_uid = ?', [studyInstanceUid]) as { id: number } | null;
    return row?.id ?? null;
  }

  /** Records a value, replacing the previous one of that visit and feature (the latest source wins). */
  setMeasure(visitId: number, feature: string, value: number, provenance: MeasureProvenance): void {
    this.db.run(
      `INSERT INTO progression_measures (visit_ref, feature, value, provenance, recorded_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (visit_ref, feature) DO UPDATE SET value = excluded.value, provenance = excluded.provenance, recorded_at = excluded.recorded_at`,
      [visitId, feature, value, JSON.stringify(provenance), new Date().toISOString()],
    );
  }

  visit(id: number): StoredVisit | null {
    const row = this.db.get('SELECT * FROM progression_visits WHERE id = ?', [id]) as VisitRow | null;
    return row ? this.withMeasures([row])[0]! : null;
  }

  visits(patientId: string): StoredVisit[] {
    const rows = this.db.all('SELECT * FROM progression_visits WHERE patient_id = ? ORDER BY id', [patientId]) as unknown as VisitRow[];
    return this.withMeasures(rows);
  }

  /** Patients with stored visits, by Patient ID, with how many visits hold at least one value. */
  patients(): { patientId: string; visits: number }[] {
    const rows = this.db.all(
      `SELECT v.patient_id, count(DISTINCT v.id) AS visits FROM progression_visits v
       JOIN progression_measures m ON m.visit_ref = v.id GROUP BY v.patient_id ORDER BY v.patient_id`,
    ) as { patient_id: string; visits: number }[];
    return rows.map((r) => ({ patientId: r.patient_id, visits: Number(r.visits) }));
  }

  /** SR instances of the patient's library studies not read for measures yet. */
  unreadSrInstances(patientId: string): SrInstance[] {
    // Read-only over the library's tables: SOP Classes 1.2.840.10008.5.1.4.1.1.88.x are the SR storage classes (PS3.4 B.5).
    const rows = this.db.all(
      `SELECT i.sop_instance_uid, f.path, st.study_instance_uid, st.study_date FROM instances i
       JOIN files f ON f.instance_ref = i.id JOIN series se ON se.id = i.series_ref
       JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref
       WHERE p.patient_id = ? AND i.sop_class_uid LIKE '1.2.840.10008.5.1.4.1.1.88.%'
         AND NOT EXISTS (SELECT 1 FROM progression_sr_read r WHERE r.sop_instance_uid = i.sop_instance_uid)`,
      [patientId],
    ) as { sop_instance_uid: string; path: string; study_instance_uid: string; study_date: string }[];
    return rows.map((r) => ({ sopInstanceUid: r.sop_instance_uid, path: r.path, studyInstanceUid: r.study_instance_uid, studyDate: r.study_date }));
  }

  markSrRead(sopInstanceUid: string): void {
    this.db.run('INSERT OR IGNORE INTO progression_sr_read (sop_instance_uid, read_at) VALUES (?, ?)', [sopInstanceUid, new Date().toISOString()]);
  }

  private withMeasures(rows: readonly VisitRow[]): StoredVisit[] {
    if (rows.length === 0) return [];
    const measureRows = this.db.all(
      `SELECT visit_ref, feature, value, provenance FROM progression_measures WHERE visit_ref IN (${rows.map(() => '?').join(',')}) ORDER BY id`,
      rows.map((r) => r.id),
    ) as { visit_ref: number; feature: string; value: number; provenance: string }[];
    const byVisit = new Map<number, VisitMeasure[]>();
    for (const m of measureRows) {
      const provenance = MeasureProvenanceSchema.safeParse(JSON.parse(m.provenance));
      if (!provenance.success) continue; // written by this module only; a damaged row is not shown as trusted
      const list = byVisit.get(m.visit_ref) ?? [];
      list.push({ feature: m.feature, value: m.value, provenance: provenance.data });
      byVisit.set(m.visit_ref, list);
    }
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      date: r.visit_date,
      day: r.visit_day,
      visitNumber: r.visit_number,
      studyInstanceUid: r.study_instance_uid,
      measures: byVisit.get(r.id) ?? [],
    }));
  }
}
