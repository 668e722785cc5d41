import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { AiEngineStatusSchema } from '../../../shared/ipc/contract';
import { call } from '../api/client';

type Status = z.infer<typeof AiEngineStatusSchema>;

/** Settings > AI engine: providers on this machine, the order tried, what each model got and why not the GPU. */
export function AiEngineSection() {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('ai', 'providers', {}).then((r) => (r.ok ? setStatus(r.value) : setError(r.error.message)));
  }, []);
  return (
    <section className="ai-engine" aria-label="AI engine">
      <h3>AI engine</h3>
      {error && <p className="error">{error}</p>}
      {status && (
        <>
          <p>
            Providers on this machine: {status.available.map((p) => `${p.name}${p.bundled ? '' : ' (needs its runtime libraries)'}`).join(', ')}
          </p>
          <p>Tried in order: {status.order.join(' → ')}{status.forceCpu ? ' (CPU forced by settings or policy)' : ''}</p>
          <ul>
            {status.sessions.map((s) => (
              <li key={s.key}>
                {s.key}: <strong>{s.provider}</strong> (ready in {Math.round(s.ms.verify + s.ms.create + s.ms.warmUp)} ms)
                {s.fallbacks.map((f) => (
                  <div key={f.provider} className="hint">
                    {f.provider} not used: {f.reason}
                  </div>
                ))}
              </li>
            ))}
          </ul>
          {status.restarts > 0 && <p className="hint">The inference engine was restarted {status.restarts} time(s).</p>}
        </>
      )}
    </section>
  );
}
