import { useState, type FormEvent } from 'react';
import { useProgressionStore } from '../state/progressionStore';
import { csvMappingFrom, emptyMapping, type MappingFields } from './csvMapping';

/**
 * Imports a visit table. By default its columns are the manifest's (the OASIS layout); "Column
 * mapping" names other columns for the Patient ID, the visit day or date, and each feature.
 */
export function CsvImportForm() {
  const { importCsv, importResult, importError, modelId, models } = useProgressionStore();
  const columns = models.find((m) => m.id === modelId)?.columns;
  const [path, setPath] = useState('');
  const [fields, setFields] = useState<MappingFields>(emptyMapping);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && columns) void importCsv(path.trim(), csvMappingFrom(fields, columns));
  };
  return (
    <form className="csv-import" onSubmit={submit}>
      <label>
        Visit table (CSV) to import
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/visits.csv" />
      </label>
      {columns && (
        <details className="csv-mapping">
          <summary>Column mapping</summary>
          <p className="hint">Blank: the model's column (shown greyed).</p>
          <label>
            Patient ID column
            <input value={fields.subject} placeholder={columns.subject} onChange={(e) => setFields({ ...fields, subject: e.target.value })} />
          </label>
          <label>
            Visit day column (days since the first visit)
            <input value={fields.day} placeholder={columns.day} onChange={(e) => setFields({ ...fields, day: e.target.value })} />
          </label>
          <label>
            Visit date column (instead of days)
            <input value={fields.date} placeholder="none" onChange={(e) => setFields({ ...fields, date: e.target.value })} />
          </label>
          {columns.features.map((f) => (
            <label key={f.name}>
              {f.column} ({f.unit}) column
              <input
                value={fields.features[f.name] ?? ''}
                placeholder={f.column}
                onChange={(e) => setFields({ ...fields, features: { ...fields.features, [f.name]: e.target.value } })}
              />
            </label>
          ))}
        </details>
      )}
      {/* The model's manifest says which columns to read, so importing waits for one. */}
      <button type="submit" disabled={!path.trim() || !columns}>
        Import CSV
      </button>
      <p className="hint">The subject column is matched to the Patient ID of library studies.</p>
      {importError && (
        <div className="import-error" role="alert">
          {importError}
        </div>
      )}
      {importResult && (
        <div className="import-result" role="status">
          Imported {importResult.valuesStored} values of {importResult.patients.length} patient(s) from {importResult.file}
          {importResult.problems.length > 0 && `; ${importResult.problems.length} problem(s): ${importResult.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join(' ')}`}
        </div>
      )}
    </form>
  );
}
