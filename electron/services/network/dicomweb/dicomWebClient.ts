import { createRequire } from 'node:module';
import type * as DicomWebClientModule from 'dicomweb-client';
import { z } from 'zod';
import { LumenError } from '../../../../shared/domain/errors';
import { pacsError } from '../networkErrors';
import type { PacsNode } from '../pacsNode';
import type { Agent } from 'node:https';
import { httpsAgentFor } from '../tlsOptions';

/** xhr2's Node-only setter for the agent its requests use. */
interface XhrNode {
  nodejsSet(options: { httpsAgent: Agent }): void;
}

const require = createRequire(import.meta.url);
// dicomweb-client speaks XMLHttpRequest; Node has none, xhr2 provides it (installed once, globally).
const globalWithXhr = globalThis as { XMLHttpRequest?: unknown };
globalWithXhr.XMLHttpRequest ??= require('xhr2') as unknown;
const { api } = require('dicomweb-client') as typeof DicomWebClientModule;

/** A DICOM JSON data set (PS3.18 F.2): tag -> { vr, Value }. */
const DicomJsonSchema = z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/), z.object({ vr: z.string(), Value: z.array(z.unknown()).optional() }).passthrough());
export type DicomJson = z.infer<typeof DicomJsonSchema>;
const QidoResponseSchema = z.array(DicomJsonSchema);

/** The first value of a tag in a DICOM JSON data set, as text (PN: its Alphabetic group). */
export function jsonValue(dataset: DicomJson, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'Alphabetic' in (value as object)) return String((value as { Alphabetic: unknown }).Alphabetic ?? '');
  return String(value);
}

/**
 * QIDO-RS, WADO-RS and STOW-RS (PS3.18 10.6, 10.4, 10.5) against one node, with errors turned into
 * PACS_* values: an unreachable server, an HTTP error status, or an answer that is not DICOMweb.
 */
export class DicomWebClient {
  private readonly client: InstanceType<typeof api.DICOMwebClient>;

  constructor(private readonly node: PacsNode) {
    if (!node.dicomWebUrl) throw pacsError.noDicomWeb(node.name);
    // verbose off: the library would print whole requests and responses (patient data) to the console.
    const url = node.dicomWebUrl.replace(/\/$/, '');
    // https: the node's CA (and client certificate) through an agent handed to each xhr2 request.
    const agent = url.startsWith('https:') ? httpsAgentFor(node) : null;
    // dicomweb-client only accepts hooks declared with exactly two parameters (request, metadata).
    const requestHooks = agent ? [(request: XMLHttpRequest, _metadata: unknown) => ((request as unknown as XhrNode).nodejsSet({ httpsAgent: agent }), request)] : [];
    this.client = new api.DICOMwebClient({ url, singlepart: false, verbose: false, requestHooks });
  }

  private async call<T>(run: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
    let answer: unknown;
    try {
      answer = await run();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (status === 0 || typeof status !== 'number') throw pacsError.unreachable(this.node.name, error);
      throw pacsError.httpError(this.node.name, status);
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw pacsError.garbage(this.node.name, parsed.error);
    return parsed.data;
  }

  searchForStudies(queryParams: Record<string, string> = {}): Promise<DicomJson[]> {
    return this.call(() => Promise.resolve(this.client.searchForStudies({ queryParams })), QidoResponseSchema);
  }

  searchForSeries(studyInstanceUID: string, queryParams: Record<string, string> = {}): Promise<DicomJson[]> {
    return this.call(() => Promise.resolve(this.client.searchForSeries({ studyInstanceUID, queryParams })), QidoResponseSchema);
  }

  searchForInstances(studyInstanceUID: string, seriesInstanceUID?: string): Promise<DicomJson[]> {
    return this.call(
      () => Promise.resolve(this.client.searchForInstances({ studyInstanceUID, ...(seriesInstanceUID ? { seriesInstanceUID } : {}) })),
      QidoResponseSchema,
    );
  }

  /** WADO-RS retrieve of a series as multipart/related; application/dicom: one Part 10 file per part. */
  async retrieveSeries(studyInstanceUID: string, seriesInstanceUID: string): Promise<Uint8Array[]> {
    const parts = await this.call(
      () => this.client.retrieveSeries({ studyInstanceUID, seriesInstanceUID } as Parameters<typeof this.client.retrieveSeries>[0]),
      z.array(z.instanceof(ArrayBuffer)),
    );
    return parts.map((part) => {
      const bytes = new Uint8Array(part);
      if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') throw pacsError.garbage(this.node.name);
      return bytes;
    });
  }

  /**
   * STOW-RS of Part 10 files, in one request. Answers the Store Instances Response (PS3.18 10.5.3) when
   * the server sent one as DICOM JSON: a 200 can still list objects in Failed SOP Sequence (0008,1198).
   */
  async storeInstances(files: readonly Uint8Array[]): Promise<DicomJson | null> {
    const datasets = files.map((f) => f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer);
    const answer = await this.call(() => this.client.storeInstances({ datasets }), z.unknown());
    let parsed: unknown = answer;
    if (typeof answer === 'string') {
      try {
        parsed = JSON.parse(answer);
      } catch {
        return null;
      }
    }
    const response = DicomJsonSchema.safeParse(parsed);
    return response.success ? response.data : null;
  }
}

export const isPacsError = (error: unknown): error is LumenError => error instanceof LumenError && error.code.startsWith('PACS_');
