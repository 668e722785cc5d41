import { z } from 'zod';
import { ErrorValueSchema } from '../../../shared/domain/errors';

/**
 * The one message protocol between the inference supervisor and the inference host process. The CLI
 * and tests carry it over a Node child process, the app over an Electron utilityProcess; both clone
 * messages structurally, so tensors travel as Float32Array without JSON. Each side parses what it
 * receives with these schemas: a malformed message is a bug, never a crash of the other side.
 */

// onnxruntime-node's execution provider names. 'webgpu' (bundled on Linux; Dawn over Vulkan) is not in
// any platform's default order (executionProviders.ts says why) but can be asked for by name.
export const ProviderNameSchema = z.enum(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

const TensorSchema = z.object({
  data: z.custom<Float32Array>((v) => v instanceof Float32Array, 'a Float32Array'),
  dims: z.array(z.number().int().nonnegative()),
});
export type HostTensor = z.infer<typeof TensorSchema>;

/** A file the host must hash and compare before the runtime sees it (no load of unverified bytes). */
const VerifiedFileSchema = z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const ToHostSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('load'),
    /** Key of the session in the host: `<model id>@<version>/<file>`. */
    key: z.string().min(1),
    file: VerifiedFileSchema,
    /** Providers to try, in order; the first that creates and warms up a session is used. */
    providers: z.array(ProviderNameSchema).min(1),
    /** A zero tensor of the real input shape, run once so the first user run is not the slow one. */
    warmUp: z.object({ input: z.string(), dims: z.array(z.number().int().positive()) }),
    intraOpThreads: z.number().int().positive().optional(),
  }),
  z.object({ type: z.literal('run'), runId: z.string(), key: z.string(), feeds: z.record(z.string(), TensorSchema) }),
  z.object({ type: z.literal('release') }),
  /** Test mode only (LUMEN_AI_HOST_TEST=1): abort the process as a native crash would. */
  z.object({ type: z.literal('crashForTest') }),
]);
export type ToHost = z.infer<typeof ToHostSchema>;

export const FallbackSchema = z.object({ provider: ProviderNameSchema, reason: z.string() });
export type Fallback = z.infer<typeof FallbackSchema>;

export const FromHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({
    type: z.literal('loaded'),
    key: z.string(),
    provider: ProviderNameSchema,
    fallbacks: z.array(FallbackSchema),
    /** Create + verify + warm-up, measured in the host. */
    ms: z.object({ verify: z.number(), create: z.number(), warmUp: z.number() }),
  }),
  z.object({ type: z.literal('loadFailed'), key: z.string(), error: ErrorValueSchema, fallbacks: z.array(FallbackSchema) }),
  z.object({ type: z.literal('result'), runId: z.string(), outputs: z.record(z.string(), TensorSchema), ms: z.number() }),
  z.object({ type: z.literal('runFailed'), runId: z.string(), error: ErrorValueSchema }),
  z.object({ type: z.literal('released') }),
]);
export type FromHost = z.infer<typeof FromHostSchema>;

/**
 * The transport under the protocol: a forked Node process here, an Electron utilityProcess in the app
 * (electron/main implements this interface; the supervisor does not know which it has).
 */
export interface HostTransport {
  send(message: ToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone, for whatever reason (exit, signal, crash). */
  onExit(listener: (detail: string) => void): void;
  kill(): void;
}

export type HostLauncher = () => HostTransport;
