import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isInternalHost, updateSourceFromPolicy, verifyInstallerSignature } from './updateSource';

describe('hospital-internal update source', () => {
  it('accepts only hosts that are internal by address or name', () => {
    for (const host of ['10.1.2.3', '172.16.0.1', '192.168.1.10', '127.0.0.1', '[fd12:3456::1]', 'updates', 'pacs.hospital.internal', 'srv.home.arpa']) {
      expect(isInternalHost(host), host).toBe(true);
    }
    for (const host of ['8.8.8.8', '172.32.0.1', 'github.com', 'objects.githubusercontent.com', 'updates.example.com', '[2001:db8::1]', 'internal.evil.com']) {
      expect(isInternalHost(host), host).toBe(false);
    }
    expect(isInternalHost('lumen.radiology.example-hospital.org', ['radiology.example-hospital.org'])).toBe(true);
    expect(isInternalHost('radiology.example-hospital.org.evil.com', ['radiology.example-hospital.org'])).toBe(false);
  });

  it('needs https and an Ed25519 key', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => updateSourceFromPolicy({ url: 'http://10.0.0.1/lumen/', publicKey: ed, internalDomains: [] })).toThrow(/https/);
    expect(() => updateSourceFromPolicy({ url: 'https://10.0.0.1/lumen/', publicKey: rsa, internalDomains: [] })).toThrow(/Ed25519/);
    expect(updateSourceFromPolicy({ url: 'https://updates.hospital.internal/lumen', publicKey: ed, internalDomains: [] })).toEqual({
      url: 'https://updates.hospital.internal/lumen/',
      publicKeyPem: ed,
      publisherName: null,
    });
  });

  it('installs nothing whose detached signature does not verify', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const installer = new TextEncoder().encode('Lumen-0.2.0-win-x64.exe bytes');
    const signature = sign(null, installer, privateKey);
    expect(verifyInstallerSignature(installer, signature, pem)).toBe(true);
    expect(verifyInstallerSignature(installer, new TextEncoder().encode(signature.toString('base64') + '\n'), pem)).toBe(true);
    const tampered = installer.slice();
    tampered[0] = tampered[0]! ^ 1;
    expect(verifyInstallerSignature(tampered, signature, pem)).toBe(false);
    expect(verifyInstallerSignature(installer, new Uint8Array(), pem)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyInstallerSignature(installer, signature, other)).toBe(false);
  });
});
