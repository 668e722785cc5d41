import { useEffect, useState } from 'react';
import { call } from '../api/client';
import type { AboutInfo } from '../../../shared/ipc/contract';

/** Version, build, models, the research-use statement and every bundled package's licence. */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('app', 'getAbout', {}).then((result) => (result.ok ? setAbout(result.value) : setError(result.error.message)));
  }, []);

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <section className="about-dialog" role="dialog" aria-modal="true" aria-label="About Lumen" onClick={(e) => e.stopPropagation()}>
        <h2>About Lumen</h2>
        {error && <p role="alert">{error}</p>}
        {about && (
          <>
            <p className="ruo-statement">{about.researchUseOnly}</p>
            <dl>
              <dt>Version</dt>
              <dd>{about.version}</dd>
              <dt>Build</dt>
              <dd>
                {about.commit} · {about.builtAt}
              </dd>
              <dt>Models</dt>
              <dd>{about.models.length === 0 ? 'none installed' : about.models.map((m) => `${m.name} ${m.version}`).join(', ')}</dd>
            </dl>
            <h3>Third-party notices</h3>
            {about.notices === null ? (
              <p className="hint">The notices are gathered when Lumen is packaged (npm run dist:dir); this copy runs from source.</p>
            ) : (
              <pre className="notices" tabIndex={0} aria-label="Third-party notices">
                {about.notices}
              </pre>
            )}
          </>
        )}
        <div className="settings-actions">
          <button type="button" className="primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </section>
    </div>
  );
}
