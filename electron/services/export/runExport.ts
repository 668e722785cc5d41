import { LumenError, toErrorValue, type ErrorValue } from '../../../shared/domain/errors';
import type { ExportDestination, ExportObjectResult, ExportProgress, ExportSummary } from '../../../shared/domain/export';
import { parseDicomBytes } from '../dicom/parse/index';
import { directoryAttributes, type DirectoryAttributes } from './directoryAttributes';
import type { ExportObject, ExportSink, ExportTransform, OutgoingObject } from './exportObject';
import { exportError, stopsExport } from './exportErrors';

export interface RunExportOptions {
  jobId: string;
  destination: ExportDestination;
  objects: readonly ExportObject[];
  sink: ExportSink;
  /** De-identification (one session for the whole export), or null. */
  transform: ExportTransform | null;
  signal: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
}

function headerOf(bytes: Uint8Array): DirectoryAttributes {
  let attributes: DirectoryAttributes;
  try {
    attributes = directoryAttributes(parseDicomBytes(bytes, { headerOnly: true }));
  } catch (error) {
    throw error instanceof LumenError ? error : exportError.notDicom();
  }
  if (!attributes.sopInstanceUid || !attributes.sopClassUid || !attributes.studyInstanceUid || !attributes.seriesInstanceUid) throw exportError.notDicom();
  return attributes;
}

/**
 * Runs one export: every object is read, checked, transformed and handed to the destination in
 * batches, with a result per object. Object errors (a missing source file, a refused object) fail that
 * object and the rest goes on; a stop (cancel, disk full, PACS unreachable) ends it, and a File-set
 * destination then removes its partial output, so what is left is either complete or nothing. Sources
 * are only read.
 */
export async function runExport(options: RunExportOptions): Promise<ExportSummary> {
  const { objects, sink, signal } = options;
  const results: ExportObjectResult[] = [];
  let stop: LumenError | null = null;
  let failed = 0;
  const reported = new Set<ExportObject>();
  const report = (object: ExportObject, result: ExportObjectResult) => {
    reported.add(object);
    results.push(result);
    if (result.status === 'failed') failed += 1;
    options.onProgress?.({ jobId: options.jobId, done: results.length, total: objects.length, failed, result, finished: false });
  };
  const resultOf = (object: ExportObject, attributes: DirectoryAttributes | null, outcome: { fileId: string | null; warning?: ErrorValue } | Error): ExportObjectResult => ({
    sopInstanceUid: object.sopInstanceUid,
    sopClassUid: attributes?.sopClassUid ?? null,
    studyInstanceUid: object.studyInstanceUid,
    origin: object.origin,
    status: outcome instanceof Error ? 'failed' : outcome.warning ? 'warning' : 'stored',
    fileId: outcome instanceof Error ? null : outcome.fileId,
    error: outcome instanceof Error ? toErrorValue(outcome) : (outcome.warning ?? null),
  });

  options.onProgress?.({ jobId: options.jobId, done: 0, total: objects.length, failed: 0, finished: false });
  let next = 0;
  try {
    while (next < objects.length && !stop) {
      const batch: { outgoing: OutgoingObject; warning?: ErrorValue }[] = [];
      while (batch.length < sink.batchSize && next < objects.length) {
        if (signal.aborted) throw exportError.cancelled();
        const object = objects[next++]!;
        let attributes: DirectoryAttributes | null = null;
        try {
          let bytes = await object.bytes();
          attributes = headerOf(bytes);
          let warning: ErrorValue | undefined;
          if (options.transform) {
            // The transform decides about burned-in annotation (de-identification refuses or warns).
            const transformed = await options.transform.apply(bytes, object);
            bytes = transformed.bytes;
            warning = transformed.warning;
            attributes = headerOf(bytes);
          }
          batch.push({ outgoing: { object, bytes, attributes }, ...(warning ? { warning } : {}) });
        } catch (error) {
          if (stopsExport(error)) throw error;
          report(object, resultOf(object, attributes, error instanceof Error ? error : exportError.sourceUnreadable(error)));
        }
      }
      if (batch.length === 0) continue;
      if (signal.aborted) throw exportError.cancelled();
      const outcomes = await options.sink.put(
        batch.map((b) => b.outgoing),
        signal,
      );
      batch.forEach((b, i) => {
        const outcome = outcomes[i] ?? new LumenError('EXPORT_NO_RESPONSE', 'The destination gave no answer for this object.');
        const withWarning = outcome instanceof Error || !b.warning || outcome.warning ? outcome : { ...outcome, warning: b.warning };
        report(b.outgoing.object, resultOf(b.outgoing.object, b.outgoing.attributes, withWarning));
      });
    }
  } catch (error) {
    stop = error instanceof LumenError ? error : new LumenError('INTERNAL_ERROR', 'The export stopped on an unexpected error; see the log for details.', { cause: error });
  }

  let output: string | null = null;
  const storedCount = () => results.filter((r) => r.status !== 'failed').length;
  if (!stop && storedCount() > 0) {
    try {
      await options.transform?.finish?.();
      output = await sink.commit();
    } catch (error) {
      stop = error instanceof LumenError ? error : exportError.destinationUnwritable(error);
      output = null;
    }
  }
  const fileSet = options.destination.kind !== 'pacs';
  if (stop || (fileSet && output === null)) {
    await sink.abandon();
    // A File-set that was not completed holds nothing: its objects are reported as not exported.
    if (fileSet && stop) {
      for (const r of results) {
        if (r.status !== 'failed') Object.assign(r, { status: 'failed', fileId: null, error: stop.toValue() });
      }
    }
  }
  // Objects never reached (after a stop) are reported too: every object has a result.
  for (const object of objects) {
    if (!reported.has(object)) results.push(resultOf(object, null, stop ?? exportError.cancelled()));
  }
  const summary: ExportSummary = {
    jobId: options.jobId,
    destination: options.destination,
    total: objects.length,
    stored: results.filter((r) => r.status !== 'failed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    warnings: results.filter((r) => r.status === 'warning').length,
    cancelled: stop?.code === 'EXPORT_CANCELLED',
    error: stop ? stop.toValue() : null,
    output,
    results,
  };
  options.onProgress?.({ jobId: options.jobId, done: summary.total, total: summary.total, failed: summary.failed, finished: true });
  return summary;
}
