import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LumenError } from '../../../shared/domain/errors';
import { dataRoot } from '../dicom/testSupport';
import { createDeidentificationSession, decryptMapping, encryptMapping, loadMapping, saveMapping } from './index';

/**
 * Acceptance (issue 10): the mapping can be saved encrypted with a user passphrase, for authorised
 * re-identification, and read back only with that passphrase.
 */

const workDir = mkdtempSync(path.join(tmpdir(), 'lumen-deid-map-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function mrSession() {
  const session = createDeidentificationSession({ retainLongitudinalModifiedDates: true });
  const dir = path.join(dataRoot, 'mr/decubitus/HFS/3_t1_fl2d_sag');
  const file = path.join(dir, '0001_1.3.12.2.1107.5.2.43.67060.2022040715053454597060816.dcm');
  session.deidentify(readFileSync(file));
  return session;
}

async function errorOf(promise: Promise<unknown>): Promise<LumenError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(LumenError);
    return e as LumenError;
  }
  throw new Error('expected a LumenError');
}

describe('re-identification mapping (AES-256-GCM, scrypt)', () => {
  it('round-trips through a file with the passphrase: UIDs, pseudonym, original identity and date offset', async () => {
    const mapping = mrSession().mapping();
    expect(Object.keys(mapping.uids)).toContain('1.3.12.2.1107.5.2.43.67060.2022040715053454597060816');
    expect(mapping.patients).toEqual([expect.objectContaining({ originalPatientId: 'crlab', originalPatientName: 'HFS', pseudonym: 'ANON0001' })]);
    const file = path.join(workDir, 'mapping.json');
    await saveMapping(file, mapping, 'correct horse battery staple');
    // Nothing of the patient or the original UIDs is readable in the saved file: not in its fields, and
    // not in the ciphertext's bytes. (Its base64 text is not searched: a random one holds a short name
    // such as 'HFS' about once in 150 files.)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { ciphertext: string };
    const fields = JSON.stringify({ ...saved, ciphertext: '' });
    const ciphertext = Buffer.from(saved.ciphertext, 'base64');
    expect(ciphertext.length).toBeGreaterThanOrEqual(JSON.stringify(mapping).length);
    for (const secret of ['crlab', 'HFS', '1.3.12.2.1107.5.2.43', 'ANON0001', JSON.stringify(mapping.uids).slice(0, 64)]) {
      expect(fields).not.toContain(secret);
      expect(ciphertext.includes(Buffer.from(secret)), secret).toBe(false);
    }
    expect(await loadMapping(file, 'correct horse battery staple')).toEqual(mapping);
  });

  it('refuses a wrong passphrase with a typed error', async () => {
    const bytes = await encryptMapping(mrSession().mapping(), 'right');
    const error = await errorOf(decryptMapping(bytes, 'wrong'));
    expect(error.code).toBe('DEID_MAPPING_WRONG_PASSPHRASE');
  });

  it('detects a tampered ciphertext or KDF parameter (authenticated encryption)', async () => {
    const bytes = await encryptMapping(mrSession().mapping(), 'pass');
    const envelope = JSON.parse(Buffer.from(bytes).toString('utf8'));
    const flipped = Buffer.from(envelope.ciphertext, 'base64');
    flipped[5] = flipped[5]! ^ 1;
    const tampered = { ...envelope, ciphertext: flipped.toString('base64') };
    expect((await errorOf(decryptMapping(Buffer.from(JSON.stringify(tampered)), 'pass'))).code).toBe('DEID_MAPPING_WRONG_PASSPHRASE');
    const otherKdf = { ...envelope, kdf: { ...envelope.kdf, N: 16384 } };
    expect((await errorOf(decryptMapping(Buffer.from(JSON.stringify(otherKdf)), 'pass'))).code).toBe('DEID_MAPPING_WRONG_PASSPHRASE');
  });

  it('says when a file is not a mapping at all, and wants a passphrase', async () => {
    expect((await errorOf(decryptMapping(Buffer.from('not json'), 'pass'))).code).toBe('DEID_MAPPING_UNREADABLE');
    expect((await errorOf(encryptMapping(mrSession().mapping(), ''))).code).toBe('DEID_MAPPING_PASSPHRASE_REQUIRED');
  });

  it('uses a fresh salt and IV each time', async () => {
    const mapping = mrSession().mapping();
    const a = JSON.parse(Buffer.from(await encryptMapping(mapping, 'p')).toString('utf8'));
    const b = JSON.parse(Buffer.from(await encryptMapping(mapping, 'p')).toString('utf8'));
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.iv).not.toBe(b.iv);
  });
});
