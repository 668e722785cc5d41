import dcmjs from 'dcmjs';
import { LumenError } from '../../../shared/domain/errors';
import { DicomWebClient, jsonValue, type DicomJson } from '../network/dicomweb/dicomWebClient';
import { runAssociation, statusHex } from '../network/dimse/associate';
import dimse from '../network/dimse/dcmjsDimse';
import type { PacsNode } from '../network/pacsNode';
import type { ExportSink, OutgoingObject, StoredOutcome } from './exportObject';
import { exportError } from './exportErrors';

/** Objects per C-STORE association: few associations, and a bounded number of data sets in memory. */
const C_STORE_BATCH = 16;

/** PS3.4 Table B.2-1: warning statuses (coercion, elements discarded, data set mismatch) still store. */
const isWarning = (status: number) => status === 0xb000 || status === 0xb006 || status === 0xb007 || (status & 0xff00) === 0x0100;

// dcmjs warns with whole element values (private tags included) when it meets names it cannot map.
dcmjs.log.setLevel('error');

function naturalElements(bytes: Uint8Array): Record<string, unknown> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const file = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Record<string, unknown>;
}

/** Where the data set starts after the File Meta Information, from its group length (PS3.10 7.1). */
function datasetOffset(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 144 || view.getUint16(132, true) !== 0x0002 || view.getUint16(134, true) !== 0x0000) return null;
  const end = 144 + view.getUint32(140, true);
  return end <= bytes.length ? end : null;
}

/**
 * A data set that goes on the wire exactly as it is in the file when the PACS accepts its transfer
 * syntax: dcmjs-dimse would otherwise rebuild it from dcmjs's natural form, which drops private
 * elements dcmjs cannot name and is slow. Only when dcmjs-dimse must transcode (the PACS accepted
 * another transfer syntax) does it read the natural form, built on first use.
 */
class PassThroughDataset extends dimse.Dataset {
  private natural = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly offset: number,
    private readonly originalTransferSyntaxUid: string,
    uids: { SOPClassUID: string; SOPInstanceUID: string },
  ) {
    super({ ...uids }, originalTransferSyntaxUid);
  }

  private ensureNatural(): void {
    if (this.natural) return;
    this.natural = true;
    for (const [key, value] of Object.entries(naturalElements(this.bytes))) super.setElement(key, value as string);
  }

  override getElements(): Record<string, unknown> {
    this.ensureNatural();
    return super.getElements();
  }

  override getDenaturalizedDataset(writeOptions?: Record<string, unknown>, nameMap?: Record<string, unknown>): Buffer {
    if (this.getTransferSyntaxUid() === this.originalTransferSyntaxUid) return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.offset, this.bytes.byteLength - this.offset);
    this.ensureNatural();
    return super.getDenaturalizedDataset(writeOptions, nameMap);
  }
}

function datasetOf(item: OutgoingObject) {
  const offset = datasetOffset(item.bytes);
  const { sopClassUid, sopInstanceUid, transferSyntaxUid } = item.attributes;
  if (offset !== null) return new PassThroughDataset(item.bytes, offset, transferSyntaxUid, { SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid });
  return new dimse.Dataset(naturalElements(item.bytes), transferSyntaxUid);
}

/**
 * C-STORE SCU (PS3.4 Annex B) of a batch on one association. Each object gets the status of its own
 * C-STORE response: a PACS that refuses one object fails that object only. An association that cannot
 * be opened (unreachable, rejected) stops the export.
 */
export function openCStoreSink(node: PacsNode, callingAeTitle: string): ExportSink {
  return {
    batchSize: C_STORE_BATCH,
    async put(batch: readonly OutgoingObject[]) {
      const outcomes: (StoredOutcome | Error | undefined)[] = batch.map(() => undefined);
      const requests = batch.flatMap((item, i) => {
        let request;
        try {
          request = new dimse.requests.CStoreRequest(datasetOf(item));
        } catch (error) {
          outcomes[i] = exportError.notDicom();
          void error;
          return [];
        }
        request.on('response', (response) => {
          const status = response.getStatus();
          if (status === dimse.constants.Status.Success) outcomes[i] = { fileId: null };
          else if (isWarning(status)) outcomes[i] = { fileId: null, warning: { code: 'EXPORT_PACS_WARNING', message: `The PACS "${node.name}" stored this object with a warning (status ${statusHex(status)}).` } };
          else outcomes[i] = exportError.rejectedByPacs(node.name, `status ${statusHex(status)}`);
        });
        return [request];
      });
      if (requests.length > 0) await runAssociation({ node, callingAeTitle, requests, timeoutMs: 60_000 });
      // The association closed normally, so an object with no response was never sent: the PACS accepted
      // no presentation context for its SOP Class and transfer syntax (PS3.8 9.3.3.2), i.e. refused it.
      return outcomes.map((o) => o ?? exportError.rejectedByPacs(node.name, 'no accepted presentation context: it does not take this kind of object'));
    },
    commit: async () => null,
    abandon: async () => undefined,
  };
}

/** The Failure Reason (0008,1197) of an object in a STOW-RS response's Failed SOP Sequence, or null. */
function failedSop(response: DicomJson | null, sopInstanceUid: string): string | null {
  const failed = (response?.['00081198']?.Value ?? []) as DicomJson[];
  const item = failed.find((f) => jsonValue(f, '00081155') === sopInstanceUid) ?? (failed.length > 0 ? failed[0] : undefined);
  if (!item) return null;
  const reason = Number(jsonValue(item, '00081197'));
  return Number.isFinite(reason) && reason > 0 ? statusHex(reason) : 'not given';
}

/**
 * STOW-RS (PS3.18 10.5), one object per request: the HTTP status is then that object's status, so a
 * rejection (4xx, 409) fails that object only; an unreachable server stops the export.
 */
export function openStowSink(node: PacsNode): ExportSink {
  const client = new DicomWebClient(node);
  return {
    batchSize: 1,
    async put(batch) {
      const out: (StoredOutcome | Error)[] = [];
      for (const item of batch) {
        try {
          const response = await client.storeInstances([item.bytes]);
          const failure = failedSop(response, item.attributes.sopInstanceUid);
          out.push(failure === null ? { fileId: null } : exportError.rejectedByPacs(node.name, `failure reason ${failure}`));
        } catch (error) {
          if (error instanceof LumenError && error.code === 'PACS_DICOMWEB_ERROR') out.push(exportError.rejectedByPacs(node.name, `HTTP ${error.message.match(/HTTP (\d+)/)?.[1] ?? '?'}`));
          else throw error;
        }
      }
      return out;
    },
    commit: async () => null,
    abandon: async () => undefined,
  };
}
