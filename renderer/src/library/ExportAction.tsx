import { useExportStore } from '../state/exportStore';
import { useLibraryStore } from '../state/libraryStore';
import { ExportDialog } from './ExportDialog';
import { formatDicomDate, formatPersonName } from './formatDicom';

/** "Export…" on the selected study, and its dialog when open. */
export function ExportAction() {
  const { studies, selectedStudyUid } = useLibraryStore();
  const { dialogStudyUid, open } = useExportStore();
  const selected = studies.find((s) => s.studyInstanceUid === selectedStudyUid);
  const dialogStudy = studies.find((s) => s.studyInstanceUid === dialogStudyUid);
  return (
    <div className="export-action">
      <button type="button" disabled={!selected} onClick={() => selected && open(selected.studyInstanceUid)} title={selected ? 'Export the selected study' : 'Select a study to export'}>
        Export…
      </button>
      {dialogStudyUid && (
        <ExportDialog
          studyInstanceUid={dialogStudyUid}
          studyLabel={dialogStudy ? `${formatPersonName(dialogStudy.patientName)}, ${formatDicomDate(dialogStudy.studyDate)}, ${dialogStudy.modalities.join('/')}` : dialogStudyUid}
        />
      )}
    </div>
  );
}
