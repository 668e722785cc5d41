import type { TestState } from '../state/networkStore';

/** One line per protocol the node offers: success with the round trip, or the typed error's sentence. */
export function connectionTestLines(state: TestState): { ok: boolean; text: string }[] {
  if (state.status === 'running') return [{ ok: true, text: 'Testing…' }];
  if (state.status === 'error') return [{ ok: false, text: `Test failed: ${state.message}` }];
  const lines: { ok: boolean; text: string }[] = [];
  const { dimse, dicomWeb } = state.result;
  const line = (label: string, r: NonNullable<typeof dimse>) =>
    lines.push(r.ok ? { ok: true, text: `${label}: connected, ${r.ms ?? '?'} ms round trip` } : { ok: false, text: `${label} failed: ${r.error?.message ?? 'no answer'}` });
  if (dimse) line('DICOM (C-ECHO)', dimse);
  if (dicomWeb) line('DICOMweb (QIDO-RS)', dicomWeb);
  if (lines.length === 0) lines.push({ ok: false, text: 'This node has no DICOM or DICOMweb address to test.' });
  return lines;
}
