import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LumenError } from '../../../shared/domain/errors';
import { writeFileAtomic } from '../atomicWrite';
import { DeidentificationMappingSchema, type DeidentificationMapping } from './deidentificationMapping';

/**
 * The re-identification mapping at rest: AES-256-GCM (authenticated) under a key derived from the user's
 * passphrase with scrypt and a random salt; Node's crypto only. The envelope is JSON so a person can
 * see what it is; the KDF parameters and format are bound to the ciphertext as additional data, so
 * none of them can be altered without the tag failing.
 */

const FORMAT = 'lumen-deidentification-mapping-encrypted';
/** scrypt N = 2^15, r = 8, p = 1: about 32 MiB and a tenth of a second, OWASP's floor for scrypt. */
const KDF = { name: 'scrypt', N: 32768, r: 8, p: 1 } as const;

const EnvelopeSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(1),
    kdf: z.object({ name: z.literal('scrypt'), N: z.number().int().min(1024).max(1 << 20), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16), salt: z.string() }).strict(),
    cipher: z.literal('aes-256-gcm'),
    iv: z.string(),
    tag: z.string(),
    ciphertext: z.string(),
  })
  .strict();
type Envelope = z.infer<typeof EnvelopeSchema>;

function deriveKey(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) => scryptCallback(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

function additionalData(envelope: Pick<Envelope, 'format' | 'version' | 'kdf' | 'cipher'>): Buffer {
  return Buffer.from(JSON.stringify([envelope.format, envelope.version, envelope.kdf, envelope.cipher]), 'utf8');
}

function requirePassphrase(passphrase: string): void {
  if (passphrase.length === 0) throw new LumenError('DEID_MAPPING_PASSPHRASE_REQUIRED', 'A passphrase is needed to protect the re-identification mapping.');
}

export async function encryptMapping(mapping: DeidentificationMapping, passphrase: string): Promise<Uint8Array> {
  requirePassphrase(passphrase);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { ...KDF, salt: salt.toString('base64') };
  const head = { format: FORMAT, version: 1, kdf, cipher: 'aes-256-gcm' } as const;
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt, KDF), iv);
  cipher.setAAD(additionalData(head));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(DeidentificationMappingSchema.parse(mapping)), 'utf8'), cipher.final()]);
  const envelope: Envelope = { ...head, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  return new Uint8Array(Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8'));
}

export async function decryptMapping(bytes: Uint8Array, passphrase: string): Promise<DeidentificationMapping> {
  requirePassphrase(passphrase);
  let envelope: Envelope;
  try {
    envelope = EnvelopeSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch (cause) {
    throw new LumenError('DEID_MAPPING_UNREADABLE', 'This file is not a Lumen re-identification mapping, or it is damaged.', { cause });
  }
  const key = await deriveKey(passphrase, Buffer.from(envelope.kdf.salt, 'base64'), envelope.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(additionalData(envelope));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
  } catch (cause) {
    // GCM cannot tell a wrong key from altered bytes; both mean the mapping must not be trusted.
    throw new LumenError('DEID_MAPPING_WRONG_PASSPHRASE', 'The passphrase is wrong, or the mapping file has been altered.', { cause });
  }
  const parsed = DeidentificationMappingSchema.safeParse(JSON.parse(plain.toString('utf8')));
  if (!parsed.success) throw new LumenError('DEID_MAPPING_UNREADABLE', 'The re-identification mapping decrypted but its content is not valid.');
  return parsed.data;
}

export async function saveMapping(file: string, mapping: DeidentificationMapping, passphrase: string): Promise<void> {
  await writeFileAtomic(file, await encryptMapping(mapping, passphrase));
}

export async function loadMapping(file: string, passphrase: string): Promise<DeidentificationMapping> {
  return decryptMapping(await readFile(file), passphrase);
}
