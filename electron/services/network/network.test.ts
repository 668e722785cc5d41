import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../createServices';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { DicomWebClient } from './dicomweb/dicomWebClient';
import dimse from './dimse/dcmjsDimse';
import { cEcho, cFind } from './dimse/dimseOperations';
import type { PacsNode } from './pacsNode';
import { freePort, startOrthanc, type OrthancPeer } from './testing/orthanc';

const ct = path.join(dataRoot, 'ct/chest-275');
const mr = path.join(dataRoot, 'mr/decubitus');
const LUMEN_AE = 'LUMENTEST';
let orthanc: OrthancPeer;
let services: Services;
let dataDir: string;
let scpPort: number;
let node: PacsNode;
let ctStudy: string;
let ctSops: Set<string>;

/** pydicom's reading of a folder: the reference for what must arrive. */
function pydicomUids(folder: string): { sop: string[]; study: string[]; series: string[] } {
  return pythonJson(
    `import sys, os, json, pydicom
sop, study, series = [], set(), set()
for r, _, ns in os.walk(sys.argv[1]):
    for n in ns:
        if not n.endswith('.dcm'): continue
        d = pydicom.dcmread(os.path.join(r, n), stop_before_pixels=True)
        sop.append(str(d.SOPInstanceUID)); study.add(str(d.StudyInstanceUID)); series.add(str(d.SeriesInstanceUID))
print(json.dumps({'sop': sop, 'study': sorted(study), 'series': sorted(series)}))`,
    [folder],
  );
}

/**
 * dcmtk tools run asynchronously: Lumen's SCP lives in this process, and a synchronous spawn would
 * block the very event loop that has to answer the tool.
 */
function dcmtk(tool: string, args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
}

async function waitFor(check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  scpPort = await freePort();
  orthanc = await startOrthanc({ modalities: { lumen: [LUMEN_AE, '127.0.0.1', scpPort] } });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-network-'));
  services = await createServices({ dataDir, policyFile: path.join(dataDir, 'no-policy.json') });
  node = { id: 'orthanc', name: 'Test Orthanc', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort, dicomWebUrl: orthanc.dicomWebUrl, tls: false };
  await services.settings.update({
    localAeTitle: LUMEN_AE,
    localPort: scpPort,
    pacsNodes: [node, { ...node, id: 'wrong-ae', name: 'Wrong AE', aeTitle: 'NOTORTHANC' }, { ...node, id: 'down', name: 'Down', port: await freePort(), dicomWebUrl: `http://127.0.0.1:${await freePort()}/dicom-web` }],
    scpAllowedAeTitles: ['STORESCU', 'ECHOSCU'],
  });
  await services.network.setScpEnabled(true);

  // The 275-slice CT into Orthanc by STOW-RS, 25 instances a request.
  const files = readdirSync(ct).filter((n) => n.endsWith('.dcm')).sort();
  const client = new DicomWebClient(node);
  for (let i = 0; i < files.length; i += 25) {
    await client.storeInstances(files.slice(i, i + 25).map((n) => new Uint8Array(readFileSync(path.join(ct, n)))));
  }
  const reference = pydicomUids(ct);
  ctStudy = reference.study[0]!;
  ctSops = new Set(reference.sop);
  expect(ctSops.size).toBe(275);
}, 300_000);

afterAll(async () => {
  await services?.dispose();
  await orthanc?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('PACS connectivity against a real Orthanc', () => {
  it('finds the stored CT by C-FIND (patient, study, series level) and QIDO-RS, as dcmtk findscu does', async () => {
    expect(await cEcho(node, LUMEN_AE)).toBeGreaterThan(0);
    const studies = await services.network.queryStudies({ nodeId: 'orthanc', patientId: 'LIDC-IDRI-0314' });
    expect(studies.map((s) => s.studyInstanceUid)).toEqual([ctStudy]);
    expect(studies[0]).toMatchObject({ instanceCount: 275, seriesCount: 1, modalities: ['CT'] });
    const viaQido = await services.network.queryStudies({ nodeId: 'orthanc', patientId: 'LIDC-IDRI-0314', via: 'dicomweb' });
    expect(viaQido).toMatchObject([{ studyInstanceUid: ctStudy, instanceCount: 275 }]);
    expect((await new DicomWebClient(node).searchForInstances(ctStudy)).length).toBe(275);
    const series = await cFind(node, LUMEN_AE, 'SERIES', { StudyInstanceUID: ctStudy, SeriesInstanceUID: '', Modality: '' });
    expect(series).toHaveLength(1);
    const patients = await cFind(node, LUMEN_AE, 'PATIENT', { PatientID: 'LIDC-IDRI-0314', PatientName: '' });
    expect(patients).toHaveLength(1);

    const findscu = await dcmtk('findscu', ['-v', '-S', '-aet', LUMEN_AE, '-aec', orthanc.aeTitle, '-k', 'QueryRetrieveLevel=STUDY', '-k', 'PatientID=LIDC-IDRI-0314', '-k', 'StudyInstanceUID', '127.0.0.1', String(orthanc.dicomPort)]);
    expect(findscu.status).toBe(0);
    expect(findscu.output).toContain(ctStudy);
  });

  it.each(['c-move', 'c-get', 'wado-rs'] as const)('retrieves the CT by %s into the library: every SOP Instance UID arrives', async (method) => {
    const events: { completed: number; done: boolean }[] = [];
    const stop = services.events.onAny((event, payload) => {
      if (event === 'network.retrieveProgress') events.push(payload as { completed: number; done: boolean });
    });
    try {
      const summary = await services.network.retrieveStudy('orthanc', ctStudy, method);
      expect(summary.failed).toBe(0);
      expect(summary.instancesAdded).toBe(275);
      expect(new Set(services.library.instanceUids(ctStudy))).toEqual(ctSops);
      expect(events.at(-1)).toMatchObject({ done: true, completed: 275 });
    } finally {
      stop();
      await services.library.deleteStudy(ctStudy).catch(() => undefined);
    }
  });

  it('receives the CT when dcmtk movescu asks the PACS to move it to Lumen: every SOP Instance UID arrives', async () => {
    try {
      const movescu = await dcmtk('movescu', ['-S', '-aet', 'MOVESCU', '-aec', orthanc.aeTitle, '-aem', LUMEN_AE, '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ctStudy}`, '127.0.0.1', String(orthanc.dicomPort)]);
      expect(movescu.status, movescu.output.slice(-2000)).toBe(0);
      await waitFor(() => services.library.instanceUids(ctStudy).length === 275);
      expect(new Set(services.library.instanceUids(ctStudy))).toEqual(ctSops);
    } finally {
      await services.library.deleteStudy(ctStudy).catch(() => undefined);
    }
  });

  it('receives the decubitus MR pushed by dcmtk storescu: its series appear in the library', async () => {
    const reference = pydicomUids(mr);
    const storescu = await dcmtk('storescu', ['-aet', 'STORESCU', '-aec', LUMEN_AE, '+sd', '+r', '+sp', '*.dcm', '127.0.0.1', String(scpPort), mr]);
    expect(storescu.status, storescu.output.slice(-2000)).toBe(0);
    const seriesInLibrary = () => new Set(services.library.listStudies({ modality: 'MR' }).flatMap((s) => s.series.map((x) => x.seriesInstanceUid)));
    await waitFor(() => reference.series.every((uid) => seriesInLibrary().has(uid)));
    // The SCP stores in batches: a series shows up with its first batch, the rest follow.
    const received = () => reference.study.flatMap((study) => services.library.instanceUids(study));
    await waitFor(() => received().length >= reference.sop.length);
    const sops = new Set(received());
    expect(sops).toEqual(new Set(reference.sop));
  });

  it('answers echoscu, refuses unknown AE titles and query models, and refuses a malformed object without storing it', async () => {
    const echo = (aet: string) => dcmtk('echoscu', ['-aet', aet, '-aec', LUMEN_AE, '127.0.0.1', String(scpPort)]);
    expect((await echo('ECHOSCU')).status).toBe(0);
    expect((await echo('STRANGER')).status).not.toBe(0);
    const findscu = await dcmtk('findscu', ['-S', '-aet', 'ECHOSCU', '-aec', LUMEN_AE, '-k', 'QueryRetrieveLevel=STUDY', '127.0.0.1', String(scpPort)]);
    expect(findscu.status).not.toBe(0);
    const lumenAsPacs: PacsNode = { id: 'self', name: 'Lumen', aeTitle: LUMEN_AE, host: '127.0.0.1', port: scpPort, tls: false };
    await expect(cEcho(lumenAsPacs, 'STRANGER')).rejects.toMatchObject({ code: 'PACS_ASSOCIATION_REJECTED' });

    const before = services.library.listStudies().length;
    const request = new dimse.requests.CStoreRequest(new dimse.Dataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', SOPInstanceUID: '1.2.3.4.5.6.7', PatientName: 'MALFORMED' }));
    let status: number | undefined;
    request.on('response', (r) => (status = r.getStatus()));
    const client = new dimse.Client();
    client.addRequest(request);
    await new Promise<void>((resolve) => {
      client.on('closed', () => resolve());
      client.send('127.0.0.1', scpPort, 'ECHOSCU', LUMEN_AE);
    });
    expect(status).toBe(0xc000);
    expect(services.library.listStudies().length).toBe(before);
  });

  it('gives typed errors for an unreachable PACS, a wrong AE title and a DICOMweb server answering errors or garbage', async () => {
    const down = await services.network.testConnection('down');
    expect(down.dimse).toMatchObject({ ok: false, error: { code: 'PACS_UNREACHABLE' } });
    expect(down.dicomWeb).toMatchObject({ ok: false, error: { code: 'PACS_UNREACHABLE' } });
    const wrong = await services.network.testConnection('wrong-ae');
    expect(wrong.dimse).toMatchObject({ ok: false, error: { code: 'PACS_ASSOCIATION_REJECTED' } });
    const good = await services.network.testConnection('orthanc');
    expect(good).toMatchObject({ dimse: { ok: true }, dicomWeb: { ok: true } });
    await expect(services.network.queryStudies({ nodeId: 'nope' })).rejects.toMatchObject({ code: 'PACS_NODE_NOT_FOUND' });

    const server = http.createServer((req, res) => {
      if (req.url?.includes('broken')) res.writeHead(500).end('boom');
      else res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end('{"this is": not json');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const garbage = new DicomWebClient({ ...node, dicomWebUrl: `http://127.0.0.1:${port}/dicom-web` });
      await expect(garbage.searchForStudies()).rejects.toMatchObject({ code: 'PACS_DICOMWEB_INVALID_RESPONSE' });
      const broken = new DicomWebClient({ ...node, dicomWebUrl: `http://127.0.0.1:${port}/broken` });
      await expect(broken.searchForStudies()).rejects.toMatchObject({ code: 'PACS_DICOMWEB_ERROR' });
    } finally {
      server.close();
    }
  });
});
