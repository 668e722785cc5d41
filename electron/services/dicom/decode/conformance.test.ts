import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceCorpus, referenceDecodings, checkFile, type Reference } from './conformance';

/**
 * Acceptance: every frame of every file in shared/data/conformance (and the chest radiographs) decodes
 * to the same stored values as an independent decoder: exactly when lossless, within the stated
 * tolerance when lossy. References come from reference/decode_reference.py, cached by file hash.
 */
const corpus = conformanceCorpus();
let references: Map<string, Reference>;

beforeAll(async () => {
  references = await referenceDecodings(corpus);
}, 600_000);

describe('decoder conformance against dcmtk / pydicom+GDCM / OpenJPEG / zlib', () => {
  it.each(corpus.map((c) => [c.file, c] as const))('%s', async (_name, entry) => {
    const result = await checkFile(entry, references.get(entry.file));
    expect(result.outcome, `${result.detail ?? ''} maxDiff ${result.maxDiff}`).toMatch(/^(exact|within tolerance|no pixel data)$/);
  });
});
