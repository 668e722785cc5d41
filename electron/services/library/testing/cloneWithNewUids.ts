import { randomInt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDicomFile, stringOf } from '../../dicom/parse/index';

/**
 * For tests and benchmarks: copies real DICOM files as new instances, so an import of "10,000
 * instances" is 10,000 distinct SOP Instance UIDs made from real slices. UIDs are rewritten in place
 * with a value of the same length (same last-component prefix, new random tail), so element lengths,
 * the file meta group length and the pixel data stay byte-identical. The sources are only read.
 */
export function sameLengthUid(uid: string): string {
  const lastDot = uid.lastIndexOf('.');
  const last = uid.slice(lastDot + 1);
  // Keep the first digit of the last component (no leading zero appears), randomise up to 20 after it.
  const keep = Math.max(1, last.length - 20);
  let tail = '';
  for (let i = keep; i < last.length; i++) tail += String(randomInt(10));
  return uid.slice(0, lastDot + 1) + last.slice(0, keep) + tail;
}

function replaceAll(bytes: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from, 'latin1');
  const replacement = Buffer.from(to, 'latin1');
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + needle.length)) replacement.copy(bytes, at);
}

export interface CloneOptions {
  /** How many copies of the whole set (each copy is a new study). */
  copies: number;
  /** Called after each file written (benchmarks report generation progress). */
  onFile?: (written: number) => void;
}

/**
 * Writes `copies` copies of `files` into `destDir/<copy>/`, each copy a new study with new series and
 * SOP Instance UIDs. Returns the written paths.
 */
export async function cloneWithNewUids(files: readonly string[], destDir: string, options: CloneOptions): Promise<string[]> {
  const headers = await Promise.all(
    files.map(async (file) => {
      const parsed = await parseDicomFile(file, { headerOnly: true });
      return {
        file,
        sop: stringOf(parsed.dataset, 'SOPInstanceUID') ?? '',
        study: stringOf(parsed.dataset, 'StudyInstanceUID') ?? '',
        series: stringOf(parsed.dataset, 'SeriesInstanceUID') ?? '',
      };
    }),
  );
  const written: string[] = [];
  for (let copy = 0; copy < options.copies; copy++) {
    const folder = path.join(destDir, String(copy).padStart(3, '0'));
    await mkdir(folder, { recursive: true });
    const mapping = new Map<string, string>();
    const renamed = (uid: string) => {
      let next = mapping.get(uid);
      if (!next) mapping.set(uid, (next = sameLengthUid(uid)));
      return next;
    };
    for (const h of headers) {
      if (!h.sop || !h.study || !h.series) continue;
      const bytes = await readFile(h.file);
      // Longest first: a UID that is a prefix of another must not rewrite part of it.
      for (const uid of [h.study, h.series, h.sop].sort((a, b) => b.length - a.length)) replaceAll(bytes, uid, renamed(uid));
      const out = path.join(folder, path.basename(h.file));
      await writeFile(out, bytes);
      written.push(out);
      options.onFile?.(written.length);
    }
  }
  return written;
}
