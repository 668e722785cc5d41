import { useEffect } from 'react';
import { useNetworkStore } from '../state/networkStore';
import { usePolicyStore } from '../state/policyStore';
import { ManagedNote } from './ManagedNote';

/** The C-STORE SCP: on/off takes effect at once (network.setScpEnabled), with what it is doing now. */
export function ScpPanel() {
  const { scp, scpError, loadScpStatus, setScpEnabled } = useNetworkStore();
  const managed = usePolicyStore((s) => s.isManaged('scpEnabled'));
  useEffect(() => {
    void loadScpStatus();
  }, [loadScpStatus]);

  return (
    <div className="scp-panel">
      <label className="checkbox">
        <input type="checkbox" checked={scp?.listening ?? false} disabled={managed || !scp} onChange={(e) => void setScpEnabled(e.target.checked)} />
        Receive studies from modalities and PACS (DICOM listener)
        {managed && <ManagedNote />}
      </label>
      <p className={scp?.listening ? 'scp-status listening' : 'scp-status'} aria-label="Listener status" aria-live="polite">
        {!scp
          ? 'Listener status unknown.'
          : scp.listening
            ? `Listening as ${scp.aeTitle} on port ${scp.port} · ${scp.received} object${scp.received === 1 ? '' : 's'} received`
            : 'Not listening.'}
        {scp?.lastError && <span className="field-error"> {scp.lastError}</span>}
        {scpError && <span className="field-error"> {scpError}</span>}
      </p>
    </div>
  );
}
