import { useEffect } from 'react';
import { usePolicyStore } from '../state/policyStore';

/** A policy file that could not be applied is said on every page, never ignored. */
export function PolicyBanner() {
  const { status, load } = usePolicyStore();
  useEffect(() => {
    void load();
  }, [load]);
  if (status?.state !== 'invalid') return null;
  return (
    <div className="banner-error" role="alert" aria-label="Policy error">
      <strong>The machine policy could not be applied.</strong> {status.problem} Lumen runs with safe defaults (no PACS connections, AI on the
      CPU) and these settings stay locked until your administrator fixes the file.
    </div>
  );
}
