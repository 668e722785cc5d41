import { pacsError } from '../networkErrors';
import type { PacsNode } from '../pacsNode';
import { runAssociation, statusHex } from './associate';
import dimse, { type Dataset } from './dcmjsDimse';

const { Status } = dimse.constants;
const { CEchoRequest, CFindRequest, CMoveRequest, CGetRequest } = dimse.requests;

export interface RetrieveCounts {
  completed: number;
  remaining: number;
  failed: number;
  warnings: number;
}

/** C-ECHO (PS3.7 9.1.5): the DICOM "ping". Resolves with the round trip in milliseconds. */
export async function cEcho(node: PacsNode, callingAeTitle: string): Promise<number> {
  const started = performance.now();
  const request = new CEchoRequest();
  let status: number | undefined;
  request.on('response', (response) => (status = response.getStatus()));
  await runAssociation({ node, callingAeTitle, requests: [request], timeoutMs: 10_000 });
  if (status !== Status.Success) throw pacsError.failed(node.name, 'verification (C-ECHO)', status === undefined ? 'none' : statusHex(status));
  return performance.now() - started;
}

/** Patient Root Query/Retrieve Information Model - FIND (PS3.4 C.6.1.3.1); dcmjs-dimse has no constant for it. */
const PATIENT_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.1.1';

export type FindLevel = 'PATIENT' | 'STUDY' | 'SERIES';

/**
 * C-FIND in the Study Root model (PATIENT level uses the Patient Root model, PS3.4 C.6.1). `keys` are
 * matching keys and return keys by keyword; empty values ask the PACS to return that attribute.
 */
export async function cFind(node: PacsNode, callingAeTitle: string, level: FindLevel, keys: Record<string, string>): Promise<Record<string, unknown>[]> {
  const request =
    level === 'SERIES' ? CFindRequest.createSeriesFindRequest(keys) : CFindRequest.createStudyFindRequest(keys);
  if (level === 'PATIENT') {
    const dataset = request.getDataset() as Dataset;
    const elements = { ...dataset.getElements(), QueryRetrieveLevel: 'PATIENT' } as Record<string, unknown>;
    delete elements.StudyInstanceUID;
    request.setDataset(new dimse.Dataset(elements));
    request.setAffectedSopClassUid(PATIENT_ROOT_FIND);
  }
  const results: Record<string, unknown>[] = [];
  let final: number | undefined;
  request.on('response', (response) => {
    const status = response.getStatus();
    if (status === Status.Pending) {
      const dataset = response.getDataset();
      if (dataset) results.push(dataset.getElements());
    } else final = status;
  });
  await runAssociation({ node, callingAeTitle, requests: [request] });
  if (final !== Status.Success) throw pacsError.failed(node.name, 'search (C-FIND)', final === undefined ? 'none' : statusHex(final));
  return results;
}

type RetrieveResponse = { getStatus(): number; getCompleted(): number; getRemaining(): number; getFailures(): number; getWarnings(): number };

function countsOf(response: RetrieveResponse): RetrieveCounts {
  return { completed: response.getCompleted() ?? 0, remaining: response.getRemaining() ?? 0, failed: response.getFailures() ?? 0, warnings: response.getWarnings() ?? 0 };
}

/**
 * Follows a C-MOVE or C-GET: pending responses carry the sub-operation counts (reported as progress),
 * the last one the final status. Success, or B000 (done with some sub-operations failed, counted in
 * `failed`), gives the counts; any other status, or none, is a failed retrieve.
 */
function followRetrieve(
  request: { on(event: 'response', listener: (response: RetrieveResponse) => void): void },
  onProgress: (counts: RetrieveCounts) => void,
): { result(nodeName: string, operation: string): RetrieveCounts } {
  let last: RetrieveCounts = { completed: 0, remaining: 0, failed: 0, warnings: 0 };
  let final: number | undefined;
  request.on('response', (response) => {
    last = { ...last, ...countsOf(response) };
    if (response.getStatus() === Status.Pending) onProgress(last);
    else final = response.getStatus();
  });
  return {
    result(nodeName, operation) {
      if (final !== Status.Success && final !== 0xb000) throw pacsError.failed(nodeName, operation, final === undefined ? 'none' : statusHex(final));
      return last;
    },
  };
}

/** C-MOVE of a study to `destinationAeTitle` (this workstation's SCP, known to the PACS by that title). */
export async function cMoveStudy(
  node: PacsNode,
  callingAeTitle: string,
  destinationAeTitle: string,
  studyInstanceUid: string,
  onProgress: (counts: RetrieveCounts) => void,
): Promise<RetrieveCounts> {
  const request = CMoveRequest.createStudyMoveRequest(destinationAeTitle, studyInstanceUid);
  const retrieve = followRetrieve(request, onProgress);
  await runAssociation({ node, callingAeTitle, requests: [request], timeoutMs: 120_000 });
  return retrieve.result(node.name, 'retrieve (C-MOVE)');
}

/** C-GET of a study: the PACS sends the instances back on the same association (no SCP needed). */
export async function cGetStudy(
  node: PacsNode,
  callingAeTitle: string,
  studyInstanceUid: string,
  store: (dataset: Dataset) => Promise<boolean>,
  onProgress: (counts: RetrieveCounts) => void,
): Promise<RetrieveCounts> {
  const request = CGetRequest.createStudyGetRequest(studyInstanceUid);
  const retrieve = followRetrieve(request, onProgress);
  await runAssociation({ node, callingAeTitle, requests: [request], onStore: store, timeoutMs: 120_000 });
  return retrieve.result(node.name, 'retrieve (C-GET)');
}
