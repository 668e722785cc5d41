import type { Statement } from 'node-sqlite3-wasm';
import type { StudySummary } from '../../../shared/ipc/contract';
import { integrityCheck, openLibraryDatabase, tableNames, type OpenedDatabase, type SqliteDatabase } from './database/openLibraryDatabase';
import type { InstanceRecord, StoredPlane } from './instanceRecord';
import { foldForSearch, personNameKey } from './searchKey';
import { studySearchSql, type StudyQuery } from './studySearch';

export interface StoredFile {
  sopInstanceUid: string;
  path: string;
  managed: boolean;
}

export interface DerivedResult {
  kind: 'ai-result' | 'measurement';
  producer: string;
  seriesInstanceUid?: string | null;
  payload: unknown;
}

const DEFAULT_LIMIT = 1000;

/**
 * The row of an INSERT ... RETURNING. Such statements are read with all(), never get(): get() leaves
 * the statement unfinished, and SQLite refuses to COMMIT while a statement is in progress.
 */
function firstRow(rows: unknown[]): { id: number } {
  const row = rows[0] as { id?: unknown } | undefined;
  if (typeof row?.id !== 'number') throw new Error('INSERT ... RETURNING gave no id');
  return { id: row.id };
}

/**
 * The study library in SQLite: patients, studies, series, instances and their files, plus derived
 * results. The only module that writes library SQL. Owns its connection: dispose with close().
 */
export class LibraryDatabase {
  private readonly db: SqliteDatabase;
  private readonly statements = new Map<string, Statement>();

  private constructor(private readonly opened: OpenedDatabase) {
    this.db = opened.db;
  }

  static open(file: string): LibraryDatabase {
    return new LibraryDatabase(openLibraryDatabase(file));
  }

  /**
   * The connection, for services whose own tables live in the library file (progression visits,
   * migration 2): they write only their own tables, inside `transaction`.
   */
  get connection(): SqliteDatabase {
    return this.db;
  }

  get journalMode(): string {
    return this.opened.journalMode;
  }

  close(): void {
    for (const statement of this.statements.values()) if (!statement.isFinalized) statement.finalize();
    this.statements.clear();
    this.opened.close();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The SOP Instance UIDs among `uids` that the library already holds. */
  knownInstances(uids: readonly string[]): Set<string> {
    const known = new Set<string>();
    const find = this.statement('SELECT 1 AS found FROM instances WHERE sop_instance_uid = ?');
    for (const uid of uids) if (find.all(uid).length > 0) known.add(uid);
    return known;
  }

  /**
   * Adds a batch of instances in one transaction (the unit of crash safety: a batch is all there or
   * not at all). Instances already known by SOP Instance UID are skipped; returns the UIDs added.
   */
  addInstances(records: readonly InstanceRecord[], managed: boolean): string[] {
    if (records.length === 0) return [];
    const now = new Date().toISOString();
    return this.transaction(() => {
      const added: string[] = [];
      const upsertPatient = this.statement(
        `INSERT INTO patients (patient_id, patient_name, name_key, birth_date, sex) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (patient_id, patient_name) DO UPDATE SET patient_id = excluded.patient_id RETURNING id`,
      );
      const upsertStudy = this.statement(
        `INSERT INTO studies (study_instance_uid, patient_ref, study_date, study_time, accession_number, description, description_key, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (study_instance_uid) DO UPDATE SET study_instance_uid = excluded.study_instance_uid RETURNING id`,
      );
      const upsertSeries = this.statement(
        `INSERT INTO series (series_instance_uid, study_ref, modality, series_number, description, description_key) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (series_instance_uid) DO UPDATE SET series_instance_uid = excluded.series_instance_uid RETURNING id`,
      );
      const insertInstance = this.statement(
        `INSERT INTO instances (sop_instance_uid, series_ref, sop_class_uid, instance_number, transfer_syntax_uid, planes) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (sop_instance_uid) DO NOTHING RETURNING id`,
      );
      const insertFile = this.statement('INSERT INTO files (instance_ref, path, managed, size) VALUES (?, ?, ?, ?)');
      const known = this.statement('SELECT 1 AS found FROM instances WHERE sop_instance_uid = ?');
      const seriesIds = new Map<string, number>();
      const imagesAdded = new Map<number, number>();
      for (const r of records) {
        // Checked before the patient, study and series are written: a second file with a known SOP
        // Instance UID but other attributes (a re-sent or badly anonymised copy) would otherwise leave
        // an empty series, study or patient in the list.
        if (known.all([r.sopInstanceUid]).length > 0) continue;
        let seriesId = seriesIds.get(r.seriesInstanceUid);
        if (seriesId === undefined) {
          const patient = firstRow(upsertPatient.all([r.patientId, r.patientName, personNameKey(r.patientName), r.patientBirthDate, r.patientSex]));
          const study = firstRow(upsertStudy.all([
            r.studyInstanceUid,
            patient.id,
            r.studyDate,
            r.studyTime,
            r.accessionNumber,
            r.studyDescription,
            foldForSearch(r.studyDescription),
            now,
          ]));
          const series = firstRow(upsertSeries.all([
            r.seriesInstanceUid,
            study.id,
            r.modality,
            r.seriesNumber,
            r.seriesDescription,
            foldForSearch(r.seriesDescription),
          ]));
          seriesId = series.id;
          seriesIds.set(r.seriesInstanceUid, seriesId);
        }
        const inserted = insertInstance.all([r.sopInstanceUid, seriesId, r.sopClassUid, r.instanceNumber, r.transferSyntaxUid, r.planes ? JSON.stringify(r.planes) : null]);
        if (inserted.length === 0) continue;
        imagesAdded.set(seriesId, (imagesAdded.get(seriesId) ?? 0) + (r.planes?.length ?? 1));
        const instance = firstRow(inserted);
        insertFile.run([instance.id, r.path, managed ? 1 : 0, r.fileSize]);
        added.push(r.sopInstanceUid);
      }
      const countImages = this.statement('UPDATE series SET image_count = image_count + ? WHERE id = ?');
      for (const [id, images] of imagesAdded) countImages.run([images, id]);
      return added;
    });
  }

  studies(query: StudyQuery = {}): StudySummary[] {
    const search = studySearchSql(query);
    const rows = this.db.all(
      `SELECT st.id, st.study_instance_uid, p.patient_name, p.patient_id, st.study_date, st.accession_number, st.description,
              (SELECT group_concat(DISTINCT modality) FROM series WHERE study_ref = st.id) AS modalities,
              (SELECT count(*) FROM series WHERE study_ref = st.id) AS series_count
       FROM studies st JOIN patients p ON p.id = st.patient_ref ${search.sql} LIMIT ?`,
      [...search.params, query.limit ?? DEFAULT_LIMIT],
    ) as { id: number; study_instance_uid: string; patient_name: string; patient_id: string; study_date: string; accession_number: string; description: string; modalities: string | null }[];
    if (rows.length === 0) return [];
    const seriesRows = this.db.all(
      `SELECT se.study_ref, se.series_instance_uid, se.modality, se.series_number, se.description,
              (SELECT count(*) FROM instances WHERE series_ref = se.id) AS instance_count, se.image_count
       FROM series se WHERE se.study_ref IN (${rows.map(() => '?').join(',')})
       ORDER BY se.series_number IS NULL, se.series_number, se.series_instance_uid`,
      rows.map((r) => r.id),
    ) as { study_ref: number; series_instance_uid: string; modality: string; series_number: number | null; description: string; instance_count: number; image_count: number }[];
    const seriesByStudy = new Map<number, StudySummary['series']>();
    for (const s of seriesRows) {
      const list = seriesByStudy.get(s.study_ref) ?? [];
      list.push({
        seriesInstanceUid: s.series_instance_uid,
        modality: s.modality,
        seriesNumber: s.series_number,
        description: s.description,
        instanceCount: s.instance_count,
        imageCount: s.image_count,
      });
      seriesByStudy.set(s.study_ref, list);
    }
    return rows.map((r) => ({
      studyInstanceUid: r.study_instance_uid,
      patientName: r.patient_name,
      patientId: r.patient_id,
      studyDate: r.study_date,
      accessionNumber: r.accession_number,
      description: r.description,
      modalities: (r.modalities ?? '').split(',').filter((m) => m !== ''),
      series: seriesByStudy.get(r.id) ?? [],
    }));
  }

  /** Every file of a study (or of the whole library), in series and instance order. */
  files(studyInstanceUid?: string): StoredFile[] {
    const rows = this.db.all(
      `SELECT i.sop_instance_uid, f.path, f.managed FROM files f
       JOIN instances i ON i.id = f.instance_ref JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
       ${studyInstanceUid === undefined ? '' : 'WHERE st.study_instance_uid = ?'}
       ORDER BY se.series_number, i.instance_number, i.sop_instance_uid`,
      studyInstanceUid === undefined ? [] : [studyInstanceUid],
    ) as { sop_instance_uid: string; path: string; managed: number }[];
    return rows.map((r) => ({ sopInstanceUid: r.sop_instance_uid, path: r.path, managed: r.managed === 1 }));
  }

  /** Paths of a series' files (the viewer opens series; assembly sorts them, so no order here). */
  seriesFiles(seriesInstanceUid: string): string[] {
    const rows = this.db.all(
      `SELECT f.path FROM files f JOIN instances i ON i.id = f.instance_ref JOIN series se ON se.id = i.series_ref
       WHERE se.series_instance_uid = ?`,
      [seriesInstanceUid],
    ) as { path: string }[];
    return rows.map((r) => r.path);
  }

  /**
   * A series' files with the image planes stored at import (migration 3), for opening it without
   * re-reading every header; `planes` is null for a file imported before, or without image planes.
   */
  seriesPlanes(seriesInstanceUid: string): { path: string; planes: StoredPlane[] | null }[] {
    const rows = this.db.all(
      `SELECT f.path, i.planes FROM files f JOIN instances i ON i.id = f.instance_ref JOIN series se ON se.id = i.series_ref
       WHERE se.series_instance_uid = ?`,
      [seriesInstanceUid],
    ) as { path: string; planes: string | null }[];
    return rows.map((r) => ({ path: r.path, planes: r.planes === null ? null : (JSON.parse(r.planes) as StoredPlane[]) }));
  }

  /** The Study Instance UID of a series in the library, or null. */
  studyOfSeries(seriesInstanceUid: string): string | null {
    const row = this.db.get('SELECT st.study_instance_uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_instance_uid = ?', [seriesInstanceUid]) as {
      study_instance_uid: string;
    } | null;
    return row?.study_instance_uid ?? null;
  }

  instanceCount(): number {
    return Number((this.db.get('SELECT count(*) AS n FROM instances') as { n: number }).n);
  }

  /** Removes a study's rows (and its patient when no study is left); returns its files for the caller to clean up. */
  deleteStudy(studyInstanceUid: string): StoredFile[] | null {
    const files = this.files(studyInstanceUid);
    const deleted = this.transaction(() => {
      const study = this.db.get('SELECT id, patient_ref FROM studies WHERE study_instance_uid = ?', [studyInstanceUid]) as { id: number; patient_ref: number } | null;
      if (!study) return false;
      this.db.run('DELETE FROM studies WHERE id = ?', [study.id]);
      this.db.run('DELETE FROM patients WHERE id = ? AND NOT EXISTS (SELECT 1 FROM studies WHERE patient_ref = ?)', [study.patient_ref, study.patient_ref]);
      return true;
    });
    return deleted ? files : null;
  }

  /** `createdAt` is now, except for a result carried over from a damaged library (repairLibrary). */
  addDerivedResult(studyInstanceUid: string, result: DerivedResult, createdAt = new Date().toISOString()): boolean {
    const changes = this.db.run(
      `INSERT INTO derived_results (study_ref, series_instance_uid, kind, producer, created_at, payload)
       SELECT id, ?, ?, ?, ?, ? FROM studies WHERE study_instance_uid = ?`,
      [result.seriesInstanceUid ?? null, result.kind, result.producer, createdAt, JSON.stringify(result.payload), studyInstanceUid],
    ).changes;
    return changes === 1;
  }

  /** The schema's tables, in the order the migrations created them (parents before children). */
  tables(): string[] {
    return tableNames(this.db);
  }

  /**
   * Puts rows read from a damaged copy of this schema back, ids included, in one transaction; a row
   * its table refuses (its parent was lost, a value no longer valid) is skipped. Returns how many went
   * in. Only columns the table has are written.
   */
  restoreRows(table: string, rows: readonly Record<string, unknown>[]): number {
    const columns = new Set((this.db.all(`SELECT name FROM pragma_table_info(?)`, [table]) as { name: string }[]).map((c) => c.name));
    if (columns.size === 0 || rows.length === 0) return 0;
    return this.transaction(() => {
      let restored = 0;
      for (const row of rows) {
        const entries = Object.entries(row).filter(([column]) => columns.has(column));
        const sql = `INSERT INTO "${table}" (${entries.map(([c]) => `"${c}"`).join(', ')}) VALUES (${entries.map(() => '?').join(', ')})`;
        try {
          this.db.run(sql, entries.map(([, value]) => value) as never);
          restored++;
        } catch (error) {
          // Refused by a constraint: the row's parent did not survive, or it is damaged itself. Any
          // other error (a full disk) stops the restore.
          if (!(error instanceof Error && /constraint failed/i.test(error.message))) throw error;
        }
      }
      return restored;
    });
  }

  derivedResults(studyInstanceUid: string): (DerivedResult & { createdAt: string })[] {
    const rows = this.db.all(
      `SELECT d.series_instance_uid, d.kind, d.producer, d.created_at, d.payload FROM derived_results d
       JOIN studies st ON st.id = d.study_ref WHERE st.study_instance_uid = ? ORDER BY d.id`,
      [studyInstanceUid],
    ) as { series_instance_uid: string | null; kind: DerivedResult['kind']; producer: string; created_at: string; payload: string }[];
    return rows.map((r) => ({ kind: r.kind, producer: r.producer, seriesInstanceUid: r.series_instance_uid, createdAt: r.created_at, payload: JSON.parse(r.payload) as unknown }));
  }

  integrityCheck(): string[] {
    return integrityCheck(this.db);
  }
}
