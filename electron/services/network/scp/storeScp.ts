import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { LumenError } from '../../../../shared/domain/errors';
import { parseDicomFile, stringOf } from '../../dicom/parse/index';
import dimse, { type Dataset } from '../dimse/dcmjsDimse';
import { part10File } from '../part10File';

const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, SopClass } = dimse.constants;

/** Transfer syntaxes the SCP accepts and stores as received (the decoder handles each; PS3.5 Annex A). */
const ACCEPTED_TRANSFER_SYNTAXES = new Set([
  '1.2.840.10008.1.2.1', // Explicit VR Little Endian
  '1.2.840.10008.1.2', // Implicit VR Little Endian
  '1.2.840.10008.1.2.1.99', // Deflated Explicit VR Little Endian
  '1.2.840.10008.1.2.4.50', // JPEG Baseline
  '1.2.840.10008.1.2.4.51', // JPEG Extended
  '1.2.840.10008.1.2.4.57', // JPEG Lossless
  '1.2.840.10008.1.2.4.70', // JPEG Lossless SV1
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.201', // HTJ2K Lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K Lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
  '1.2.840.10008.1.2.5', // RLE Lossless
]);
/** Query/retrieve models are not offered: this SCP is Verification and Storage only. */
const QUERY_RETRIEVE_PREFIX = '1.2.840.10008.5.1.4.1.2.';

export interface StoreScpOptions {
  aeTitle: string;
  port: number;
  /** Where received objects wait (as Part 10 files) until the library imports them. */
  incomingDir: string;
  /** Whether a calling AE title may associate: configured PACS nodes and allowed titles, or anyone. */
  isCallingAeAllowed: (callingAeTitle: string) => boolean;
  /** Called after an association ends with the files it stored; the library imports them. */
  onAssociationStored: (files: string[], callingAeTitle: string) => Promise<void>;
  onRejected?: (callingAeTitle: string, reason: string) => void;
}

/** The raw data set bytes of a C-STORE, kept instead of a parsed dcmjs data set. */
type RawDataset = Dataset & { lumenRaw?: Buffer; lumenTransferSyntax?: string };

/**
 * The C-STORE SCP: modalities and PACS push objects to the workstation. Each object is written as
 * received (no re-encoding) with a File Meta group, checked by a header parse before the success
 * status goes back (a malformed object gets 0xC000 and is not kept), and imported into the library
 * when its association ends. Unknown calling AE titles are refused unless allowed in settings.
 */
export class StoreScp {
  private server: InstanceType<typeof dimse.Server> | null = null;
  received = 0;
  lastError: string | null = null;

  constructor(private readonly options: StoreScpOptions) {}

  get listening(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    await assertPortFree(this.options.port);
    await mkdir(this.options.incomingDir, { recursive: true });
    const options = this.options;
    const counters = { stored: () => this.received++, error: (message: string) => (this.lastError = message) };

    class LumenScp extends dimse.Scp {
      private callingAe = '';
      private readonly stored: string[] = [];

      override associationRequested(association: Parameters<InstanceType<typeof dimse.Scp>['associationRequested']>[0]): void {
        this.callingAe = association.getCallingAeTitle().trim();
        if (association.getCalledAeTitle().trim() !== options.aeTitle) {
          options.onRejected?.(this.callingAe, 'called AE title not recognised');
          this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
          return;
        }
        if (!options.isCallingAeAllowed(this.callingAe)) {
          options.onRejected?.(this.callingAe, 'calling AE title not allowed');
          this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
          return;
        }
        for (const context of association.getPresentationContexts()) {
          const pc = association.getPresentationContext(context.id);
          const abstract = pc.getAbstractSyntaxUid();
          if (abstract !== SopClass.Verification && abstract.startsWith(QUERY_RETRIEVE_PREFIX)) {
            pc.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
            continue;
          }
          const syntax = pc.getTransferSyntaxUids().find((ts) => ACCEPTED_TRANSFER_SYNTAXES.has(ts));
          if (syntax) pc.setResult(PresentationContextResult.Accept, syntax);
          else pc.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        }
        this.sendAssociationAccept();
      }

      // Keep the received bytes: parsing them into dcmjs and writing them back would re-encode the object.
      // The context it arrived on fixes its transfer syntax: a peer may propose one context per syntax for
      // the same SOP class, so looking a context up by SOP class could name the wrong one.
      override createDatasetFromStoreWritableStream(writable: Writable, context: { getAcceptedTransferSyntaxUid(): string | undefined }, callback: (dataset: Dataset) => void): void {
        const dataset = new dimse.Dataset({}) as RawDataset;
        dataset.lumenRaw = (writable as Writable & { toBuffer(): Buffer }).toBuffer();
        const syntax = context.getAcceptedTransferSyntaxUid();
        if (syntax) dataset.lumenTransferSyntax = syntax;
        callback(dataset);
      }

      override cEchoRequest(request: Parameters<InstanceType<typeof dimse.Scp>['cEchoRequest']>[0], callback: Parameters<InstanceType<typeof dimse.Scp>['cEchoRequest']>[1]): void {
        const response = dimse.responses.CEchoResponse.fromRequest(request);
        response.setStatus(Status.Success);
        callback(response);
      }

      override cStoreRequest(request: Parameters<InstanceType<typeof dimse.Scp>['cStoreRequest']>[0], callback: Parameters<InstanceType<typeof dimse.Scp>['cStoreRequest']>[1]): void {
        const response = dimse.responses.CStoreResponse.fromRequest(request);
        const received = request.getDataset() as RawDataset | undefined;
        const raw = received?.lumenRaw;
        const transferSyntaxUid = received?.lumenTransferSyntax;
        const file = path.join(options.incomingDir, `${randomUUID()}.dcm`);
        const store = async (): Promise<number> => {
          if (!raw || !transferSyntaxUid) return 0xc000;
          await writeFile(
            file,
            part10File(raw, {
              sopClassUid: request.getAffectedSopClassUid(),
              sopInstanceUid: request.getAffectedSopInstanceUid(),
              transferSyntaxUid,
              sourceAeTitle: this.callingAe,
            }),
            { flush: true },
          );
          // PS3.4 B.2.3: 0xC000 "cannot understand" for an object the library could never index.
          try {
            const parsed = await parseDicomFile(file, { headerOnly: true });
            if (!stringOf(parsed.dataset, 'StudyInstanceUID') || !stringOf(parsed.dataset, 'SeriesInstanceUID')) throw new Error('no study/series UID');
          } catch {
            await rm(file, { force: true });
            return 0xc000;
          }
          this.stored.push(file);
          counters.stored();
          return Status.Success;
        };
        store().then(
          (status) => {
            if (status !== Status.Success) counters.error('An object that could not be read was refused.');
            response.setStatus(status);
            callback(response);
          },
          (error: NodeJS.ErrnoException) => {
            counters.error(error.code === 'ENOSPC' ? 'The disk is full: received objects were refused.' : 'A received object could not be saved.');
            response.setStatus(0xa700); // out of resources
            callback(response);
          },
        );
      }

      // The peer aborted: what it stored before is complete on disk and still goes to the library.
      override abort(): void {
        this.flush();
      }

      override associationReleaseRequested(): void {
        this.sendAssociationReleaseResponse();
        this.flush();
      }

      private flush(): void {
        const files = this.stored.splice(0);
        if (files.length > 0) {
          options.onAssociationStored(files, this.callingAe).catch(() => {
            counters.error('Received objects could not be added to the library; they are kept in the incoming folder.');
          });
        }
      }
    }

    const server = new dimse.Server(LumenScp);
    server.on('networkError', () => {
      this.lastError = 'A network error occurred on the listening port.';
    });
    server.listen(this.options.port);
    this.server = server;
  }

  stop(): void {
    this.server?.close();
    this.server = null;
  }
}

/** dcmjs-dimse's listen() gives no error for a busy port: probe first, so the status can say why. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new LumenError('PACS_SCP_PORT_IN_USE', `Port ${port} is already in use: choose another listening port in Settings.`, { cause: error })),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
