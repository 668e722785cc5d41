import { useLibraryStore } from '../state/libraryStore';

/** Modality codes a reading room meets most (PS3.3 C.7.3.1.1.1 defined terms). */
const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'PT', 'NM', 'MG', 'XA', 'RF', 'OT'];

/** Search box and the structured filters of library.listStudies. */
export function LibraryFilters() {
  const { query, setQuery, filters, setFilter, clearFilters, isFiltered } = useLibraryStore();
  return (
    <div className="library-toolbar" role="search" aria-label="Library search">
      <input
        type="search"
        aria-label="Search studies"
        placeholder="Search patient, ID, accession, description"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <div className="library-filters">
        <label>
          Modality
          <select aria-label="Modality" value={filters.modality} onChange={(e) => setFilter('modality', e.target.value)}>
            <option value="">Any</option>
            {MODALITIES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" aria-label="Study date from" value={filters.dateFrom} max={filters.dateTo || undefined} onChange={(e) => setFilter('dateFrom', e.target.value)} />
        </label>
        <label>
          To
          <input type="date" aria-label="Study date to" value={filters.dateTo} min={filters.dateFrom || undefined} onChange={(e) => setFilter('dateTo', e.target.value)} />
        </label>
        <input aria-label="Patient ID" placeholder="Patient ID" value={filters.patientId} onChange={(e) => setFilter('patientId', e.target.value)} />
        <input aria-label="Accession number" placeholder="Accession" value={filters.accessionNumber} onChange={(e) => setFilter('accessionNumber', e.target.value)} />
        <button type="button" onClick={() => { setQuery(''); clearFilters(); }} disabled={!isFiltered()}>
          Clear
        </button>
      </div>
    </div>
  );
}
