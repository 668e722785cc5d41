import { AI_RESULT_PRODUCER as PRODUCER, AiAnalysisSchema, type AiAnalysis } from '../../../shared/domain/aiResult';
import { LumenError, toErrorValue } from '../../../shared/domain/errors';
import type { AuditLog } from '../audit/index';
import type { EventBus } from '../eventBus';
import type { LibraryDatabase } from '../library/index';
import type { LibraryService } from '../library/index';
import type { AiEngine, EngineStatus } from './aiEngine';
import type { ModelListing } from './modelRegistry';

export interface AnalyzeRequest {
  modelId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** Chosen by the caller so that it can cancel (ai.cancel) and match progress events. */
  runId: string;
  /** Which image of the series (its files in library order); all of them when absent. */
  imageIndex?: number;
}

/**
 * The AI domain for the contract handlers: library series in, analyses out, each one audited, stored
 * with its study (derived results) and announced as progress events; runs cancellable by id.
 */
export class AiService {
  private readonly running = new Map<string, AbortController>();

  constructor(
    readonly engine: AiEngine,
    private readonly deps: { library: LibraryService; db: LibraryDatabase; audit: AuditLog; events: EventBus },
  ) {}

  listModels(): Promise<ModelListing[]> {
    return this.engine.listModels();
  }

  status(): Promise<EngineStatus> {
    return this.engine.status();
  }

  cancel(runId: string): boolean {
    const run = this.running.get(runId);
    run?.abort();
    return run !== undefined;
  }

  async analyze(request: AnalyzeRequest): Promise<{ results: AiAnalysis[]; failures: { path: string; error: { code: string; message: string } }[] }> {
    const files = this.deps.library.seriesFiles(request.seriesInstanceUid);
    if (files.length === 0) throw new LumenError('LIBRARY_SERIES_NOT_FOUND', 'This series is not in the library.');
    const chosen = request.imageIndex === undefined ? files : [files[request.imageIndex]].filter((f): f is string => f !== undefined);
    if (chosen.length === 0) throw new LumenError('AI_IMAGE_NOT_FOUND', 'The series has no image at that position.');
    const model = await this.engine.openClassifier(request.modelId);
    const controller = new AbortController();
    this.running.set(request.runId, controller);
    const results: AiAnalysis[] = [];
    const failures: { path: string; error: { code: string; message: string } }[] = [];
    const progress = (done: number, stage: string) =>
      this.deps.events.emit('ai.progress', { runId: request.runId, seriesInstanceUid: request.seriesInstanceUid, done, total: chosen.length, stage });
    try {
      for (const [i, file] of chosen.entries()) {
        try {
          const analysis = await this.engine.analyzeFile(model, file, { signal: controller.signal, onStage: (stage) => progress(i, stage) });
          results.push(analysis);
        } catch (error) {
          const value = toErrorValue(error);
          if (value.code === 'AI_RUN_CANCELLED') throw error;
          // A single image that does not fit fails alone when a series is analysed; asked for one image, it is the answer.
          if (chosen.length === 1) throw error;
          failures.push({ path: file, error: value });
        }
      }
      progress(chosen.length, 'done');
      for (const analysis of results) {
        this.deps.db.addDerivedResult(request.studyInstanceUid, { kind: 'ai-result', producer: PRODUCER, seriesInstanceUid: request.seriesInstanceUid, payload: analysis });
      }
      this.deps.audit.append({ action: 'ai.run', studyInstanceUid: request.studyInstanceUid, outcome: 'success', detail: `${model.manifest.id} ${model.manifest.version}: ${results.length} image(s)` });
      return { results, failures };
    } catch (error) {
      this.deps.audit.append({ action: 'ai.run', studyInstanceUid: request.studyInstanceUid, outcome: 'failure', detail: `${request.modelId}: ${toErrorValue(error).code}` });
      throw error;
    } finally {
      this.running.delete(request.runId);
    }
  }

  /** Analyses saved with a study, oldest first: the AI panel shows them again when the study reopens. */
  savedResults(studyInstanceUid: string): (AiAnalysis & { seriesInstanceUid: string | null; createdAt: string })[] {
    return this.deps.db
      .derivedResults(studyInstanceUid)
      .filter((r) => r.kind === 'ai-result' && r.producer === PRODUCER)
      .flatMap((r) => {
        const parsed = AiAnalysisSchema.safeParse(r.payload);
        return parsed.success ? [{ ...parsed.data, seriesInstanceUid: r.seriesInstanceUid ?? null, createdAt: r.createdAt }] : [];
      });
  }

  async dispose(): Promise<void> {
    for (const run of this.running.values()) run.abort();
    await this.engine.shutdown();
  }
}

