import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { ConnectionTestSchema, RemoteStudyQuerySchema, RemoteStudySchema, RetrieveSummarySchema, ScpStatusSchema } from '../../../shared/ipc/contract';
import { LumenError, toErrorValue } from '../../../shared/domain/errors';
import type { AuditLog } from '../audit/index';
import type { EventBus } from '../eventBus';
import type { LibraryService } from '../library/index';
import type { SettingsStore } from '../settings/settingsStore';
import { DicomWebClient, jsonValue } from './dicomweb/dicomWebClient';
import { cEcho, cFind, cGetStudy, cMoveStudy, type RetrieveCounts } from './dimse/dimseOperations';
import { pacsError } from './networkErrors';
import type { PacsNode } from './pacsNode';
import { StoreScp } from './scp/storeScp';

type ConnectionTest = z.infer<typeof ConnectionTestSchema>;
type RemoteStudy = z.infer<typeof RemoteStudySchema>;
type RetrieveSummary = z.infer<typeof RetrieveSummarySchema>;
type ScpStatus = z.infer<typeof ScpStatusSchema>;
export type RemoteStudyQuery = z.infer<typeof RemoteStudyQuerySchema>;

const text = (value: unknown): string => {
  const first = Array.isArray(value) ? value[0] : value;
  if (first && typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: unknown }).Alphabetic ?? '');
  return first === undefined || first === null ? '' : String(first);
};
const count = (value: unknown): number | null => (text(value) === '' ? null : Number(text(value)));

/**
 * PACS connectivity: test a node, search it (C-FIND or QIDO-RS), retrieve a study into the library
 * (C-MOVE to this workstation's SCP, C-GET, or WADO-RS), and the C-STORE SCP itself. Every retrieve
 * and every received study is recorded in the audit trail.
 */
export class NetworkService {
  private scp: StoreScp | null = null;
  /** Imports of objects the SCP received, still running: a C-MOVE is complete when they are. */
  private readonly pendingImports = new Set<Promise<void>>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly library: LibraryService,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
    private readonly dataDir: string,
  ) {}

  private node(nodeId: string): PacsNode {
    const node = this.settings.get().pacsNodes.find((n) => n.id === nodeId);
    if (!node) throw pacsError.nodeNotFound();
    return node;
  }

  private get localAe(): string {
    return this.settings.get().localAeTitle;
  }

  async testConnection(nodeId: string): Promise<ConnectionTest> {
    const node = this.node(nodeId);
    const attempt = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      try {
        await run();
        return { ok: true, ms: Math.round(performance.now() - started), error: null };
      } catch (error) {
        return { ok: false, ms: null, error: toErrorValue(error) };
      }
    };
    return {
      nodeId,
      dimse: await attempt(() => cEcho(node, this.localAe)),
      dicomWeb: node.dicomWebUrl ? await attempt(() => new DicomWebClient(node).searchForStudies({ limit: '1' })) : null,
    };
  }

  async queryStudies(query: RemoteStudyQuery): Promise<RemoteStudy[]> {
    const node = this.node(query.nodeId);
    const via = query.via ?? (node.dicomWebUrl && !node.port ? 'dicomweb' : 'dimse');
    const localStudies = new Set(this.library.listStudies({ limit: 10_000 }).map((s) => s.studyInstanceUid));
    if (via === 'dicomweb') {
      const params: Record<string, string> = { includefield: 'NumberOfStudyRelatedSeries,NumberOfStudyRelatedInstances,ModalitiesInStudy,StudyDescription' };
      if (query.patientName) params.PatientName = query.patientName;
      if (query.patientId) params.PatientID = query.patientId;
      if (query.accessionNumber) params.AccessionNumber = query.accessionNumber;
      if (query.studyDate) params.StudyDate = query.studyDate;
      if (query.modality) params.ModalitiesInStudy = query.modality;
      const found = await new DicomWebClient(node).searchForStudies(params);
      return found.map((d) => {
        const uid = jsonValue(d, '0020000D');
        return {
          studyInstanceUid: uid,
          patientName: jsonValue(d, '00100010'),
          patientId: jsonValue(d, '00100020'),
          studyDate: jsonValue(d, '00080020'),
          accessionNumber: jsonValue(d, '00080050'),
          description: jsonValue(d, '00081030'),
          modalities: (d['00080061']?.Value ?? []).map(String),
          seriesCount: count(jsonValue(d, '00201206')),
          instanceCount: count(jsonValue(d, '00201208')),
          local: localStudies.has(uid),
        };
      });
    }
    const found = await cFind(node, this.localAe, 'STUDY', {
      PatientName: query.patientName ?? '',
      PatientID: query.patientId ?? '',
      AccessionNumber: query.accessionNumber ?? '',
      StudyDate: query.studyDate ?? '',
      ModalitiesInStudy: query.modality ?? '',
      StudyDescription: '',
      NumberOfStudyRelatedSeries: '',
      NumberOfStudyRelatedInstances: '',
    });
    return found.map((d) => {
      const uid = text(d.StudyInstanceUID);
      const modalities = d.ModalitiesInStudy;
      return {
        studyInstanceUid: uid,
        patientName: text(d.PatientName),
        patientId: text(d.PatientID),
        studyDate: text(d.StudyDate),
        accessionNumber: text(d.AccessionNumber),
        description: text(d.StudyDescription),
        modalities: (Array.isArray(modalities) ? modalities : [modalities]).map(text).filter((m) => m !== ''),
        seriesCount: count(d.NumberOfStudyRelatedSeries),
        instanceCount: count(d.NumberOfStudyRelatedInstances),
        local: localStudies.has(uid),
      };
    });
  }

  /** Retrieves a study into the library (copied into the managed store) with progress events. */
  async retrieveStudy(nodeId: string, studyInstanceUid: string, method: 'c-move' | 'c-get' | 'wado-rs'): Promise<RetrieveSummary> {
    const node = this.node(nodeId);
    const jobId = randomUUID();
    const folder = path.join(this.dataDir, 'incoming', jobId);
    const progress = (counts: Partial<RetrieveCounts>, done = false, error: unknown = null) =>
      this.events.emit('network.retrieveProgress', {
        jobId,
        nodeId,
        studyInstanceUid,
        completed: counts.completed ?? 0,
        remaining: counts.remaining ?? null,
        failed: counts.failed ?? 0,
        done,
        error: error === null ? null : toErrorValue(error),
      });
    const before = new Set(this.library.instanceUids(studyInstanceUid));
    progress({});
    try {
      await mkdir(folder, { recursive: true });
      let counts: RetrieveCounts;
      if (method === 'c-move') {
        if (!this.scp?.listening) throw new LumenError('PACS_SCP_NOT_LISTENING', 'Retrieving with C-MOVE needs this workstation to receive: turn on receiving (DICOM listener) in Settings.');
        counts = await cMoveStudy(node, this.localAe, this.localAe, studyInstanceUid, (c) => progress(c));
        await Promise.all(this.pendingImports);
      } else if (method === 'c-get') {
        let n = 0;
        counts = await cGetStudy(
          node,
          this.localAe,
          studyInstanceUid,
          async (dataset) => {
            // C-GET arrives parsed by dcmjs-dimse (its client offers no raw hook): written back as Part 10.
            const file = path.join(folder, `${String(n++).padStart(6, '0')}.dcm`);
            await new Promise<void>((resolve, reject) => dataset.toFile(file, (error) => (error ? reject(error) : resolve())));
            return true;
          },
          (c) => progress(c),
        );
        await this.library.importPaths([folder], { mode: 'copy' });
      } else {
        counts = await this.retrieveWado(node, studyInstanceUid, folder, (c) => progress(c));
        await this.library.importPaths([folder], { mode: 'copy' });
      }
      const after = this.library.instanceUids(studyInstanceUid);
      const summary = { jobId, studyInstanceUid, received: counts.completed, instancesAdded: after.filter((u) => !before.has(u)).length, failed: counts.failed };
      progress({ ...counts, remaining: 0 }, true);
      this.audit.append({ action: 'network.retrieve', studyInstanceUid, outcome: counts.failed > 0 ? 'failure' : 'success', detail: `${method} from node ${node.id}: ${counts.completed} received, ${counts.failed} failed` });
      return summary;
    } catch (error) {
      progress({}, true, error);
      this.audit.append({ action: 'network.retrieve', studyInstanceUid, outcome: 'failure', detail: `${method} from node ${node.id}: ${toErrorValue(error).code}` });
      throw error;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  private async retrieveWado(node: PacsNode, studyInstanceUid: string, folder: string, onProgress: (c: RetrieveCounts) => void): Promise<RetrieveCounts> {
    const client = new DicomWebClient(node);
    const series = await client.searchForSeries(studyInstanceUid);
    const counts: RetrieveCounts = { completed: 0, remaining: null as unknown as number, failed: 0, warnings: 0 };
    for (const s of series) {
      const seriesUid = jsonValue(s, '0020000E');
      const files = await client.retrieveSeries(studyInstanceUid, seriesUid);
      await Promise.all(files.map((bytes, i) => writeFile(path.join(folder, `${seriesUid}-${i}.dcm`), bytes)));
      counts.completed += files.length;
      onProgress(counts);
    }
    return counts;
  }

  /** STOW-RS of files to a node (send). */
  async sendFiles(nodeId: string, files: readonly Uint8Array[], studyInstanceUid: string | null): Promise<void> {
    const node = this.node(nodeId);
    try {
      await new DicomWebClient(node).storeInstances(files);
      this.audit.append({ action: 'network.send', studyInstanceUid, outcome: 'success', detail: `stow-rs to node ${node.id}: ${files.length} instances` });
    } catch (error) {
      this.audit.append({ action: 'network.send', studyInstanceUid, outcome: 'failure', detail: `stow-rs to node ${node.id}: ${toErrorValue(error).code}` });
      throw error;
    }
  }

  scpStatus(): ScpStatus {
    const s = this.settings.get();
    return { listening: this.scp?.listening ?? false, aeTitle: s.localAeTitle, port: s.localPort, received: this.scp?.received ?? 0, lastError: this.scp?.lastError ?? null };
  }

  async setScpEnabled(enabled: boolean): Promise<ScpStatus> {
    await this.settings.update({ scpEnabled: enabled });
    if (enabled) await this.startScp();
    else this.stopScp();
    return this.scpStatus();
  }

  /** Starts the SCP with the current settings (restarting it if it runs). */
  async startScp(): Promise<void> {
    this.stopScp();
    const settings = this.settings.get();
    const incomingDir = path.join(this.dataDir, 'incoming', 'scp');
    const scp = new StoreScp({
      aeTitle: settings.localAeTitle,
      port: settings.localPort,
      incomingDir,
      isCallingAeAllowed: (calling) => {
        const s = this.settings.get();
        return s.scpAcceptUnknownAeTitles === true || s.pacsNodes.some((n) => n.aeTitle === calling) || (s.scpAllowedAeTitles ?? []).includes(calling);
      },
      onAssociationStored: (files) => this.importReceived(files),
    });
    await scp.start();
    this.scp = scp;
  }

  private importReceived(files: string[]): Promise<void> {
    const job = (async () => {
      try {
        const summary = await this.library.importPaths(files, { mode: 'copy' });
        for (const study of summary.studies) {
          this.audit.append({ action: 'network.receive', studyInstanceUid: study, outcome: 'success', detail: `c-store: ${files.length} objects on one association` });
        }
      } finally {
        await Promise.all(files.map((f) => rm(f, { force: true })));
      }
    })();
    this.pendingImports.add(job);
    void job.finally(() => this.pendingImports.delete(job)).catch(() => undefined);
    return job;
  }

  stopScp(): void {
    this.scp?.stop();
    this.scp = null;
  }

  async dispose(): Promise<void> {
    this.stopScp();
    await Promise.allSettled([...this.pendingImports]);
  }
}

