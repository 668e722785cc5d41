import { z } from 'zod';

/** Messages on the harness's loopback WebSocket: the control channel of the app, carried over WS. */
export const ClientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(128),
  payload: z.unknown(),
});

export type ServerMessage =
  | { type: 'result'; id: number; envelope: unknown }
  | { type: 'event'; event: string; payload: unknown };

/** Where the harness keeps its token for the bridge script: set by Playwright or taken from the URL hash. */
export const HARNESS_GLOBAL = '__LUMEN_HARNESS__';
