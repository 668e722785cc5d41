import { useState } from 'react';
import { call } from '../api/client';

type ReportState = { status: 'idle' } | { status: 'running' } | { status: 'done'; path: string; pages: number } | { status: 'error'; message: string };

/**
 * "Report (PDF)…": writes the printable study report (header, key images, measurements, AI findings)
 * to a file path the user types, optionally with a de-identified header. Made on this machine, offline.
 */
export function ReportButton({ studyInstanceUid }: { studyInstanceUid: string }) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [deidentified, setDeidentified] = useState(false);
  const [state, setState] = useState<ReportState>({ status: 'idle' });
  const running = state.status === 'running';

  const create = async () => {
    setState({ status: 'running' });
    const result = await call('library', 'createReport', { studyInstanceUid, path: path.trim(), deidentified });
    setState(result.ok ? { status: 'done', ...result.value } : { status: 'error', message: result.error.message });
  };

  return (
    <div className="report-control">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Report (PDF)…
      </button>
      {open && (
        <form
          className="report-form"
          aria-label="Study report"
          onSubmit={(event) => {
            event.preventDefault();
            if (path.trim()) void create();
          }}
        >
          <input aria-label="Report file path" placeholder="Full path of the PDF to write, e.g. /home/me/report.pdf" value={path} onChange={(e) => setPath(e.target.value)} disabled={running} />
          <label>
            <input type="checkbox" checked={deidentified} onChange={(e) => setDeidentified(e.target.checked)} disabled={running} /> De-identified header
          </label>
          <button type="submit" disabled={running || !path.trim()}>
            {running ? 'Writing…' : 'Write report'}
          </button>
          {state.status === 'done' && (
            <span role="status">
              Report written: <code>{state.path}</code> ({state.pages} page{state.pages === 1 ? '' : 's'})
            </span>
          )}
          {state.status === 'error' && <span role="alert">{state.message}</span>}
        </form>
      )}
    </div>
  );
}
