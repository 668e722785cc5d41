import os from 'node:os';
import { LumenError } from '../../../shared/domain/errors';
import type { ModelManifest } from '../../../shared/domain/modelManifest';
import type { AiAnalysis } from '../../../shared/domain/aiResult';
import { readClassification } from './classificationResult';
import { availableProviders, providerOrder, type ProviderAvailability } from './executionProviders';
import { forkHostLauncher } from './forkHostTransport';
import type { HostLauncher, ProviderName } from './hostProtocol';
import { InferenceSupervisor, type LoadedSession, type SessionSpec } from './inferenceSupervisor';
import { listModels, openModel, type InstalledModel, type ModelListing } from './modelRegistry';
import { preprocessFile } from './preprocess/preprocessImage';

export interface AiEngineOptions {
  modelsDir: string;
  /** Read at every load: settings.forceCpuInference or the machine policy. */
  forceCpu: () => boolean;
  /** The app passes a utilityProcess launcher; default: a forked Node process. */
  launcher?: HostLauncher;
  runTimeoutMs?: number;
  intraOpThreads?: number;
  log?: (line: string) => void;
}

export interface EngineStatus {
  platform: string;
  available: ProviderAvailability[];
  order: ProviderName[];
  forceCpu: boolean;
  sessions: LoadedSession[];
  restarts: number;
}

export type AnalysisStage = 'preprocess' | 'load' | 'classify' | 'ood' | 'done';

/** A session for each ONNX file of a model, keyed by id, version and file. */
export function sessionSpecs(model: InstalledModel): { classifier: SessionSpec; ood: SessionSpec | null } {
  const input = model.manifest.inputs[0]!;
  // Dynamic axes ("batch") are 1: one image per run is how the workstation uses a classifier.
  const dims = input.shape.map((d) => (typeof d === 'number' ? d : 1));
  const spec = (role: 'model' | 'ood'): SessionSpec | null => {
    const file = model.files.find((f) => f.role === role);
    return file ? { key: `${model.manifest.id}@${model.manifest.version}/${role}`, file: { path: file.path, sha256: file.sha256 }, warmUp: { input: input.name, dims } } : null;
  };
  return { classifier: spec('model')!, ood: spec('ood') };
}

/**
 * On-device analysis for the app, the harness and the CLI: the model registry, the manifest's
 * preprocessing and the isolated inference host behind one object, which owns the host process.
 */
export class AiEngine {
  readonly supervisor: InferenceSupervisor;

  constructor(private readonly options: AiEngineOptions) {
    this.supervisor = new InferenceSupervisor(options.launcher ?? forkHostLauncher(), {
      providers: () => providerOrder(process.platform, options.forceCpu()),
      ...(options.runTimeoutMs ? { runTimeoutMs: options.runTimeoutMs } : {}),
      ...(options.intraOpThreads ? { intraOpThreads: options.intraOpThreads } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  get modelsDir(): string {
    return this.options.modelsDir;
  }

  listModels(): Promise<ModelListing[]> {
    return listModels(this.options.modelsDir);
  }

  async status(): Promise<EngineStatus> {
    const forceCpu = this.options.forceCpu();
    return {
      platform: `${os.platform()}-${os.arch()}`,
      available: await availableProviders(),
      order: providerOrder(process.platform, forceCpu),
      forceCpu,
      sessions: this.supervisor.loadedSessions(),
      restarts: this.supervisor.restarts,
    };
  }

  async openClassifier(id: string): Promise<InstalledModel> {
    const model = await openModel(this.options.modelsDir, id);
    if (model.manifest.task !== 'classification') throw new LumenError('MODEL_WRONG_TASK', `Model "${id}" is not an image classifier.`);
    return model;
  }

  /** Read, check applicability, preprocess, classify and check the OOD guard for one image file. */
  async analyzeFile(model: InstalledModel, file: string, options: { signal?: AbortSignal; onStage?: (stage: AnalysisStage) => void } = {}): Promise<AiAnalysis> {
    const t0 = performance.now();
    const { manifest } = model;
    options.onStage?.('preprocess');
    const image = await preprocessFile(file, manifest);
    if (options.signal?.aborted) throw new LumenError('AI_RUN_CANCELLED', 'The analysis was cancelled.');
    const specs = sessionSpecs(model);
    const feeds = { [manifest.inputs[0]!.name]: { data: image.tensor, dims: image.dims } };
    options.onStage?.('classify');
    const run = await this.supervisor.run(specs.classifier, feeds, options.signal);
    const classification = readClassification(manifest, run.outputs);
    let ood: AiAnalysis['ood'] = null;
    let inferenceMs = run.ms;
    if (specs.ood && manifest.ood) {
      options.onStage?.('ood');
      const guard = await this.supervisor.run(specs.ood, feeds, options.signal);
      const score = oodScore(manifest, guard.outputs);
      ood = { score, outside: score > manifest.ood.threshold };
      inferenceMs += guard.ms;
    }
    options.onStage?.('done');
    const session = this.supervisor.loadedSessions().find((s) => s.key === specs.classifier.key);
    return {
      path: file,
      model: manifest.id,
      version: manifest.version,
      provider: run.provider,
      probabilities: classification.probabilities,
      prediction: classification.prediction,
      threshold: classification.threshold,
      ood,
      ms: performance.now() - t0,
      heatmap: classification.heatmap,
      frame: image.native,
      inferenceMs,
      fallbacks: session?.fallbacks ?? [],
    };
  }

  shutdown(): Promise<void> {
    return this.supervisor.shutdown();
  }
}

/** The OOD guard's one output: a score per image (the manifest names no output, so the first is it). */
function oodScore(manifest: ModelManifest, outputs: Record<string, { data: Float32Array }>): number {
  const tensor = outputs['score'] ?? Object.values(outputs)[0];
  const score = tensor?.data[0];
  if (score === undefined || !Number.isFinite(score)) throw new LumenError('MODEL_BAD_OUTPUT', `The out-of-distribution guard of "${manifest.id}" returned no score.`);
  return score;
}
