import type { EventPayload } from '../../../shared/ipc/contract';

type Progress = EventPayload<'library.importProgress'>;

/**
 * What the import bar shows. The scan finds files while it parses them, so the total is never known in
 * advance: the bar measures files read (parsed or failed) against files found so far, and stays an
 * indeterminate sweep until the first file is found.
 */
export function importProgressView(progress: Progress | null): { text: string; done: number | null; total: number | null } {
  if (!progress || progress.seen === 0) return { text: 'Importing… looking for DICOM files', done: null, total: null };
  const read = progress.parsed + progress.failed;
  const stored = progress.stored === undefined ? '' : `, ${progress.stored} new stored`;
  return {
    text: `Importing… ${progress.parsed} parsed, ${progress.failed} failed of ${progress.seen} files found${stored}`,
    done: Math.min(read, progress.seen),
    total: progress.seen,
  };
}
