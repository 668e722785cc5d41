import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit';
import { createServices, type Services } from '../createServices';
import { dataRoot } from '../dicom/testSupport';
import { parseDicomBytes, stringOf } from '../dicom/parse/index';
import { newUid } from '../dicom/uid';
import { cloneWithNewUids } from '../library/testing/cloneWithNewUids';
import { DicomWebClient, jsonValue } from '../network/dicomweb/dicomWebClient';
import type { PacsNode } from '../network/pacsNode';
import { startOrthanc, type OrthancPeer } from '../network/testing/orthanc';

const ct = path.join(dataRoot, 'ct/chest-275');
const mr = path.join(dataRoot, 'mr/decubitus/HFS');
/** A private SOP Class no PACS knows: Orthanc refuses its presentation context (UnknownSopClassAccepted off). */
const UNKNOWN_SOP_CLASS = '1.2.826.0.1.3680043.10.1234.99';

let orthanc: OrthancPeer;
let services: Services;
let work: string;
let node: PacsNode;
let proxy: http.Server;
let ctStudy: string;
let mrStudy: string;
let rejectStudy: string;
let refusedSop: string;
let stowRejectStudy: string;
let stowRefusedSop: string;

/** Orthanc's own QIDO-RS answer: how many instances of a study it holds (0 when it has none). */
async function qidoInstances(studyInstanceUid: string): Promise<string[]> {
  const client = new DicomWebClient(node);
  const studies = await client.searchForStudies({ StudyInstanceUID: studyInstanceUid, includefield: 'NumberOfStudyRelatedInstances' });
  if (studies.length === 0) return [];
  const count = Number(jsonValue(studies[0]!, '00201208'));
  const instances = (await client.searchForInstances(studyInstanceUid)).map((d) => jsonValue(d, '00080018'));
  expect(instances).toHaveLength(count);
  return instances.sort();
}

/** The data set after the File Meta Information (PS3.10 7.1: its group length is the first element). */
function dataSetBytes(file: Uint8Array): Buffer {
  const bytes = Buffer.from(file);
  const metaLength = bytes.readUInt32LE(140);
  expect(bytes.toString('latin1', 128, 132)).toBe('DICM');
  return bytes.subarray(144 + metaLength);
}

function sopOf(file: Uint8Array): string {
  return stringOf(parseDicomBytes(file, { headerOnly: true }).dataset, 'SOPInstanceUID') ?? '';
}

async function auditEntries(): Promise<AuditEntry[]> {
  const text = await readFile(path.join(services.dataDir, 'audit', 'audit.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry);
}

/** Copies as a new study; a new Series Instance UID too (the clone keeps a UID whose last component is short). */
async function clonedStudy(files: string[], into: string): Promise<{ files: string[] }> {
  const copies = await cloneWithNewUids(files, path.join(work, into), { copies: 1 });
  execFileSync('dcmodify', ['-nb', '-m', `(0020,000E)=${newUid()}`, ...copies]);
  return { files: copies };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'lumen-export-pacs-'));
  orthanc = await startOrthanc({ modalities: {} });
  node = { id: 'orthanc', name: 'Test Orthanc', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort, dicomWebUrl: orthanc.dicomWebUrl, tls: false };

  // A DICOMweb front that refuses one object the way PS3.18 10.5.3 says (409 with Failed SOP Sequence)
  // and passes everything else to Orthanc.
  proxy = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'POST' && stowRefusedSop && body.includes(Buffer.from(stowRefusedSop, 'latin1'))) {
        response.writeHead(409, { 'Content-Type': 'application/dicom+json' });
        response.end(JSON.stringify({ '00081198': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: [stowRefusedSop] }, '00081197': { vr: 'US', Value: [0xc000] } }] } }));
        return;
      }
      const target = `${orthanc.dicomWebUrl.replace(/\/dicom-web$/, '')}${request.url}`;
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
      fetch(target, { method: request.method, headers, ...(request.method === 'POST' ? { body } : {}) }).then(
        async (answer) => {
          response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/octet-stream' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/dicom-web`;

  services = await createServices({ dataDir: path.join(work, 'data'), policyFile: path.join(work, 'no-policy.json') });
  await services.settings.update({
    localAeTitle: 'LUMENEXPORT',
    pacsNodes: [node, { ...node, id: 'wrong-ae', name: 'Wrong AE', aeTitle: 'NOTORTHANC' }, { ...node, id: 'picky', name: 'Picky DICOMweb', dicomWebUrl: proxyUrl }],
  });

  const ctSlices = (await readdir(ct)).filter((n) => n.endsWith('.dcm')).sort().slice(0, 8).map((n) => path.join(ct, n));
  const mrSlices = (await readdir(mr, { recursive: true })).filter((n) => n.endsWith('.dcm')).sort().map((n) => path.join(mr, n));
  // A study Orthanc partly refuses over DIMSE: one object relabelled with a SOP Class it does not know.
  const reject = await clonedStudy(mrSlices.slice(0, 3), 'reject');
  execFileSync('dcmodify', ['-nb', '-m', `(0008,0016)=${UNKNOWN_SOP_CLASS}`, reject.files[1]!]);
  const stowReject = await clonedStudy(mrSlices.slice(3, 6), 'stow-reject');
  const imported = await services.library.importPaths([...ctSlices, ...mrSlices, ...reject.files, ...stowReject.files], { mode: 'reference' });
  expect(imported.failed).toEqual([]);
  const studies = services.library.listStudies();
  ctStudy = studies.find((s) => s.modalities.includes('CT'))!.studyInstanceUid;
  const mrStudies = studies.filter((s) => s.modalities.includes('MR')).map((s) => s.studyInstanceUid);
  const studyOfFile = (file: string) => mrStudies.find((s) => services.library.openStudy(s).some((f) => f.path === file))!;
  mrStudy = studyOfFile(mrSlices[0]!);
  rejectStudy = studyOfFile(reject.files[0]!);
  refusedSop = services.library.openStudy(rejectStudy).find((f) => f.path === reject.files[1])!.sopInstanceUid;
  stowRejectStudy = studyOfFile(stowReject.files[0]!);
  stowRefusedSop = services.library.openStudy(stowRejectStudy).find((f) => f.path === stowReject.files[2])!.sopInstanceUid;
}, 180_000);

afterAll(async () => {
  await services?.dispose();
  await orthanc?.stop();
  await new Promise((r) => proxy?.close(r));
  await rm(work, { recursive: true, force: true });
});

describe('export to a PACS node (a real Orthanc)', () => {
  it('by C-STORE: Orthanc accepts every object and a QIDO-RS search finds the study with all its instances', async () => {
    const summary = await services.export.start({ studyInstanceUids: [mrStudy], destination: { kind: 'pacs', nodeId: 'orthanc', method: 'c-store' } });
    const sent = services.library.instanceUids(mrStudy).sort();
    expect(summary).toMatchObject({ total: sent.length, stored: sent.length, failed: 0, error: null, output: null });
    expect(summary.results.every((r) => r.status === 'stored' && r.fileId === null && r.sopClassUid === '1.2.840.10008.5.1.4.1.1.4')).toBe(true);
    expect(await qidoInstances(mrStudy)).toEqual(sent);
    // What Orthanc stored is the source's data set byte for byte (Siemens private elements included):
    // only the File Meta Information, which each side writes itself, differs.
    const series = await new DicomWebClient(node).searchForSeries(mrStudy);
    const stored = await new DicomWebClient(node).retrieveSeries(mrStudy, jsonValue(series[0]!, '0020000E'));
    const sourceFiles = new Map(services.library.openStudy(mrStudy).map((f) => [f.sopInstanceUid, f.path]));
    expect(stored).toHaveLength(sent.length);
    for (const file of stored) {
      const sop = sopOf(file);
      expect(dataSetBytes(file).equals(dataSetBytes(await readFile(sourceFiles.get(sop)!)))).toBe(true);
    }
  }, 120_000);

  it('by STOW-RS: the JPEG-LS CT arrives whole, found by QIDO-RS', async () => {
    const summary = await services.export.start({ studyInstanceUids: [ctStudy], destination: { kind: 'pacs', nodeId: 'orthanc', method: 'stow-rs' } });
    const sent = services.library.instanceUids(ctStudy).sort();
    expect(summary).toMatchObject({ total: sent.length, stored: sent.length, failed: 0, error: null });
    expect(await qidoInstances(ctStudy)).toEqual(sent);
  }, 120_000);

  it('a PACS that refuses one object (C-STORE, unknown SOP Class): that object fails with a clear message, the rest arrive', async () => {
    const summary = await services.export.start({ studyInstanceUids: [rejectStudy], destination: { kind: 'pacs', nodeId: 'orthanc', method: 'c-store' } });
    expect(summary).toMatchObject({ total: 3, stored: 2, failed: 1, error: null });
    const refused = summary.results.find((r) => r.status === 'failed')!;
    expect(refused).toMatchObject({ sopInstanceUid: refusedSop, sopClassUid: UNKNOWN_SOP_CLASS, error: { code: 'EXPORT_REJECTED_BY_PACS' } });
    expect(refused.error!.message).toContain('Test Orthanc');
    expect(await qidoInstances(rejectStudy)).toEqual(services.library.instanceUids(rejectStudy).filter((u) => u !== refusedSop).sort());
  }, 120_000);

  it('a DICOMweb server that refuses one object (STOW-RS 409): that object fails, the rest arrive', async () => {
    const summary = await services.export.start({ studyInstanceUids: [stowRejectStudy], destination: { kind: 'pacs', nodeId: 'picky', method: 'stow-rs' } });
    expect(summary).toMatchObject({ total: 3, stored: 2, failed: 1, error: null });
    expect(summary.results.find((r) => r.status === 'failed')).toMatchObject({ sopInstanceUid: stowRefusedSop, error: { code: 'EXPORT_REJECTED_BY_PACS' } });
    expect(await qidoInstances(stowRejectStudy)).toEqual(services.library.instanceUids(stowRejectStudy).filter((u) => u !== stowRefusedSop).sort());
  }, 120_000);

  it('a PACS that refuses the association (wrong AE title) stops the export with a clear error; each object says so', async () => {
    const fresh = await clonedStudy((await readdir(ct)).filter((n) => n.endsWith('.dcm')).sort().slice(20, 22).map((n) => path.join(ct, n)), 'wrong-ae');
    const imported = await services.library.importPaths(fresh.files, { mode: 'reference' });
    const study = imported.studies[0]!;
    const summary = await services.export.start({ studyInstanceUids: [study], destination: { kind: 'pacs', nodeId: 'wrong-ae', method: 'c-store' } });
    expect(summary.error?.code).toBe('PACS_ASSOCIATION_REJECTED');
    expect(summary).toMatchObject({ total: 2, stored: 0, failed: 2 });
    expect(summary.results.every((r) => r.error?.code === 'PACS_ASSOCIATION_REJECTED')).toBe(true);
    expect(await qidoInstances(study)).toEqual([]);
  }, 120_000);

  it('records every export in the audit trail, by Study Instance UID only', async () => {
    const exports = (await auditEntries()).filter((e) => e.action === 'export');
    expect(exports.find((e) => e.studyInstanceUid === mrStudy)).toMatchObject({ outcome: 'success', detail: expect.stringContaining('c-store to node orthanc') });
    expect(exports.find((e) => e.studyInstanceUid === rejectStudy)).toMatchObject({ outcome: 'failure', detail: expect.stringContaining('2 stored, 1 failed') });
    expect(exports.some((e) => e.detail?.includes('PACS_ASSOCIATION_REJECTED'))).toBe(true);
  });
});
