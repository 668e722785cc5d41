/**
 * The library schema, as an ordered list of migrations. `PRAGMA user_version` records how many have
 * run; each runs once, in its own transaction, so a crash mid-migration leaves the previous version.
 * Never edit a shipped migration: append a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'patients, studies, series, instances, files, derived results',
    sql: `
      -- One row per (Patient ID, Patient's Name): PS3.3 C.7.1.1. Two patients may share an ID across issuers.
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        patient_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        birth_date TEXT NOT NULL DEFAULT '',
        sex TEXT NOT NULL DEFAULT '',
        UNIQUE (patient_id, patient_name)
      );
      CREATE INDEX patients_patient_id ON patients (patient_id);

      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        study_instance_uid TEXT NOT NULL UNIQUE,
        patient_ref INTEGER NOT NULL REFERENCES patients (id),
        study_date TEXT NOT NULL DEFAULT '',
        study_time TEXT NOT NULL DEFAULT '',
        accession_number TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        description_key TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL
      );
      CREATE INDEX studies_patient ON studies (patient_ref);
      CREATE INDEX studies_date ON studies (study_date);
      CREATE INDEX studies_accession ON studies (accession_number);

      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        series_instance_uid TEXT NOT NULL UNIQUE,
        study_ref INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        modality TEXT NOT NULL,
        series_number INTEGER,
        description TEXT NOT NULL DEFAULT '',
        description_key TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX series_study ON series (study_ref);
      CREATE INDEX series_modality ON series (modality);

      CREATE TABLE instances (
        id INTEGER PRIMARY KEY,
        sop_instance_uid TEXT NOT NULL UNIQUE,
        series_ref INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
        sop_class_uid TEXT NOT NULL DEFAULT '',
        instance_number INTEGER,
        transfer_syntax_uid TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX instances_series ON instances (series_ref);

      -- Where an instance's bytes are. managed = 1: a copy in the library's store, which the library
      -- may delete; managed = 0: the user's file, referenced in place, which the library never touches.
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        instance_ref INTEGER NOT NULL UNIQUE REFERENCES instances (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        managed INTEGER NOT NULL CHECK (managed IN (0, 1)),
        size INTEGER NOT NULL
      );

      -- AI outputs and measurements stored with a study (payload: JSON validated by its producer).
      CREATE TABLE derived_results (
        id INTEGER PRIMARY KEY,
        study_ref INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        series_instance_uid TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('ai-result', 'measurement')),
        producer TEXT NOT NULL,
        created_at TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload))
      );
      CREATE INDEX derived_results_study ON derived_results (study_ref);
    `,
  },
  {
    version: 2,
    description: 'progression visits and their measures, each with its provenance',
    sql: `
      -- Keyed by Patient ID (0010,0020), not by a patients row: visit tables (OASIS CSV) have no images,
      -- so a patient may have visits before, or without, any study in the library. A visit has a calendar
      -- date (a study, an SR, a form) or only a day offset from the patient's first visit (CSV MR Delay).
      CREATE TABLE progression_visits (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        visit_date TEXT,
        visit_day INTEGER,
        visit_number INTEGER,
        study_instance_uid TEXT,
        CHECK (visit_date IS NOT NULL OR visit_day IS NOT NULL)
      );
      CREATE INDEX progression_visits_patient ON progression_visits (patient_id);

      -- One value per visit and manifest feature name; a later import, SR or form correction replaces it.
      -- provenance: JSON {source: csv|sr|form, ...} (shared/domain/progressionTimeline.ts).
      CREATE TABLE progression_measures (
        id INTEGER PRIMARY KEY,
        visit_ref INTEGER NOT NULL REFERENCES progression_visits (id) ON DELETE CASCADE,
        feature TEXT NOT NULL,
        value REAL NOT NULL,
        provenance TEXT NOT NULL CHECK (json_valid(provenance)),
        recorded_at TEXT NOT NULL,
        UNIQUE (visit_ref, feature)
      );

      -- SR instances already read for measures, so a later form correction is not overwritten again.
      CREATE TABLE progression_sr_read (
        sop_instance_uid TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    description: 'image plane headers per instance, so the viewer opens a series without re-reading its files',
    sql: `
      -- JSON: the instance's planes as series assembly reads them (dicom/series/sliceHeader.ts), without
      -- the file path. NULL for instances imported before, or objects without image planes.
      ALTER TABLE instances ADD COLUMN planes TEXT CHECK (planes IS NULL OR json_valid(planes));
    `,
  },
  {
    version: 4,
    description: 'classic multi-frame instances have one plane per frame: forget the single plane stored before',
    sql: `
      -- NULL makes the viewer read the header again (and lay the frames out) the next time it opens them.
      UPDATE instances SET planes = NULL
        WHERE planes IS NOT NULL AND json_array_length(planes) = 1 AND json_extract(planes, '$[0].numberOfFrames') > 1;
    `,
  },
  {
    version: 5,
    description: 'images per series (the frames of a multi-frame object each), so a series counts images rather than files',
    sql: `
      -- Kept on the series, as the import adds instances, so the study list reads no instance row (a
      -- damaged page of the instances table then fails only the studies it holds, not the list). An
      -- instance whose planes are not known (imported before migration 3, forgotten by 4, or without
      -- image planes) counts as one image, as every instance did before.
      ALTER TABLE series ADD COLUMN image_count INTEGER NOT NULL DEFAULT 0 CHECK (image_count >= 0);
      UPDATE series SET image_count = (SELECT coalesce(sum(coalesce(json_array_length(planes), 1)), 0) FROM instances WHERE series_ref = series.id);
    `,
  },
];
