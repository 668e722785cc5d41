import * as ort from 'onnxruntime-node';
import { LumenError, type ErrorValue } from '../../../shared/domain/errors';
import { buildVisitSequences, prefix, requiredColumns, sequenceSpecFromManifest, type SequenceSpec, type VisitSequence } from './buildVisitSequence';
import { loadProgressionModel, type VerifiedModel } from './loadProgressionModel';
import { readOasisCsv } from './readOasisCsv';

/** The prediction at visit k for the interval to visit k+1. `visit` is k, 1-based in time order. */
export interface ProgressionPrediction {
  subject: string;
  visit: number;
  horizonDays: number;
  risk: number;
  /** Weights over visits 1..k (length k, sums to 1). */
  attention: number[];
  model: string;
  version: string;
  provider: string;
}

export interface ProgressionFailure {
  subject: string;
  error: ErrorValue;
}

export type ProgressionLine = ProgressionPrediction | ProgressionFailure;

/**
 * In-process CPU inference for now: the CLI and tests run it directly. The AI host process will take
 * this over; the provider is reported so that results say where they were computed.
 */
export class ProgressionRunner {
  readonly provider = 'cpu';

  private constructor(
    readonly model: VerifiedModel,
    readonly spec: SequenceSpec,
    private readonly session: ort.InferenceSession,
  ) {}

  static async open(modelsDir: string, id: string): Promise<ProgressionRunner> {
    const model = await loadProgressionModel(modelsDir, id);
    const spec = sequenceSpecFromManifest(model.manifest);
    let session: ort.InferenceSession;
    try {
      // One intra-op thread: sequences are a handful of tokens, threading costs more than it saves.
      session = await ort.InferenceSession.create(model.onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
    } catch (error) {
      throw new LumenError('MODEL_LOAD_FAILED', `The runtime could not load model "${id}".`, { cause: error });
    }
    const names = spec.bind;
    for (const input of Object.values(names.inputs)) {
      if (!session.inputNames.includes(input)) throw new LumenError('MODEL_BAD_MANIFEST', `Model "${id}" has no input "${input}".`);
    }
    for (const output of Object.values(names.outputs)) {
      if (!session.outputNames.includes(output)) throw new LumenError('MODEL_BAD_MANIFEST', `Model "${id}" has no output "${output}".`);
    }
    return new ProgressionRunner(model, spec, session);
  }

  /**
   * Risk and attention for visits 1..k of a sequence: k from 1 to visits - 1 for the interval to the
   * next visit, or any k up to the last visit with an explicit horizon.
   */
  async predict(seq: VisitSequence, k: number, horizonDays?: number): Promise<ProgressionPrediction> {
    const p = prefix(seq, k, horizonDays);
    const F = seq.nFeatures;
    const { inputs, outputs } = this.spec.bind;
    const feeds: Record<string, ort.Tensor> = {
      [inputs.features]: new ort.Tensor('float32', p.features, [1, k, F]),
      [inputs.missing]: new ort.Tensor('float32', p.missing, [1, k, F]),
      [inputs.days]: new ort.Tensor('float32', p.days, [1, k]),
      [inputs.horizon]: new ort.Tensor('float32', Float32Array.of(p.horizonDays), [1, 1]),
    };
    const result = await this.session.run(feeds);
    const risk = Number((result[outputs.risk]?.data as Float32Array | undefined)?.[0]);
    const attention = Array.from((result[outputs.attention]?.data as Float32Array | undefined) ?? []);
    if (!Number.isFinite(risk) || attention.length !== k) {
      throw new LumenError('MODEL_BAD_OUTPUT', `Model "${this.model.manifest.id}" returned an output of the wrong shape.`);
    }
    return {
      subject: seq.subject,
      visit: k,
      horizonDays: p.horizonDays,
      risk,
      attention,
      model: this.model.manifest.id,
      version: this.model.manifest.version,
      provider: this.provider,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Every prediction of a visit table: for each subject (in order of first appearance) and each visit
 * that has a next visit, one prediction; a subject with an unusable row yields one failure line and the
 * run goes on. A CSV without the columns the model needs fails as a whole (PROGRESSION_MISSING_COLUMN).
 */
export async function* runProgression(runner: ProgressionRunner, csvText: string): AsyncGenerator<ProgressionLine> {
  const { columns, rows } = readOasisCsv(csvText);
  const absent = requiredColumns(runner.spec).filter((c) => !columns.includes(c));
  if (absent.length > 0) {
    throw new LumenError('PROGRESSION_MISSING_COLUMN', `The CSV lacks the column(s) the model needs: ${absent.join(', ')}.`);
  }
  for (const result of buildVisitSequences(rows, runner.spec)) {
    if ('error' in result) {
      yield { subject: result.subject, error: result.error.toValue() };
      continue;
    }
    // A subject's lines come out together, or only its error: the model can still fail on one
    // subject (an output it should never give), and that must not end the run for the others.
    const lines: ProgressionPrediction[] = [];
    try {
      for (let k = 1; k < result.sequence.days.length; k++) lines.push(await runner.predict(result.sequence, k));
    } catch (error) {
      if (!(error instanceof LumenError)) throw error;
      yield { subject: result.subject, error: error.toValue() };
      continue;
    }
    yield* lines;
  }
}
