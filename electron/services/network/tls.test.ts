import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRoot } from '../dicom/testSupport';
import { DicomWebClient } from './dicomweb/dicomWebClient';
import { cEcho, cFind } from './dimse/dimseOperations';
import type { PacsNode } from './pacsNode';
import { freePort, startOrthanc, type OrthancPeer } from './testing/orthanc';
import { makeTestCertificates, type TestCertificates } from './testing/testCertificates';
import { startTlsProxy } from './testing/tlsProxy';

const LUMEN_AE = 'LUMENTLS';
const mrFolder = path.join(dataRoot, 'mr/decubitus');
let dir: string;
let certificates: TestCertificates;
let orthanc: OrthancPeer;
let node: PacsNode;
let proxy: { port: number; close(): Promise<void> };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lumen-tls-'));
  certificates = makeTestCertificates(dir);
  orthanc = await startOrthanc({ modalities: { lumen: [LUMEN_AE, '127.0.0.1', await freePort()] }, tls: certificates });
  proxy = await startTlsProxy(orthanc.httpPort, certificates);
  node = { id: 'tls', name: 'TLS Orthanc', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort, dicomWebUrl: `https://127.0.0.1:${proxy.port}/dicom-web`, tls: true, tlsCaFile: certificates.caFile };
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await orthanc?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('PACS over TLS (a real Orthanc with DICOM TLS; DICOMweb over https through a TLS proxy)', () => {
  it('stores by STOW-RS over https, then finds by QIDO-RS and by C-FIND over DICOM TLS', async () => {
    const series = readdirSync(mrFolder, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.dcm')).slice(0, 3);
    const client = new DicomWebClient(node);
    await client.storeInstances(series.map((n) => new Uint8Array(readFileSync(path.join(mrFolder, n)))));
    const studies = await client.searchForStudies();
    expect(studies.length).toBeGreaterThan(0);
    expect(await cEcho(node, LUMEN_AE)).toBeGreaterThanOrEqual(0);
    const found = await cFind(node, LUMEN_AE, 'STUDY', { StudyInstanceUID: '' });
    expect(found.length).toBe(studies.length);
  }, 60_000);

  it('refuses a server whose certificate the configured CA did not sign, with PACS_TLS_FAILED', async () => {
    const untrusted = { ...node, tlsCaFile: certificates.otherCaFile };
    await expect(cEcho(untrusted, LUMEN_AE)).rejects.toMatchObject({ code: 'PACS_TLS_FAILED' });
    await expect(new DicomWebClient(untrusted).searchForStudies()).rejects.toMatchObject({ code: expect.stringMatching(/^PACS_/) });
  }, 60_000);

  it('says which file is missing when the CA file cannot be read, and does not fall back to plain text', async () => {
    const missing = { ...node, tlsCaFile: path.join(dir, 'nowhere.pem') };
    await expect(cEcho(missing, LUMEN_AE)).rejects.toMatchObject({ code: 'PACS_TLS_CONFIG' });
    await expect(cEcho({ ...node, tls: false }, LUMEN_AE)).rejects.toMatchObject({ code: expect.stringMatching(/^PACS_/) });
  }, 60_000);
});
