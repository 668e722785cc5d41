import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERER_SECURITY_HEADERS } from '../../shared/security/contentSecurityPolicy';
import { DATA_PREFIX, handleDataRequest } from '../services/viewer/dataChannel';
import type { ViewerService } from '../services/viewer/viewerService';
import { CONTENT_TYPES } from '../services/contentTypes';


/**
 * `lumen://app/...`: the packaged renderer files with the security headers, and the data channel
 * under /data/. Paths that escape the
 * renderer folder answer 404; there is no fallback to the network.
 */
export function createAppProtocolHandler(rendererDir: string, viewer?: ViewerService): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    if (viewer && url.pathname.startsWith(DATA_PREFIX)) {
      const answer = await handleDataRequest(viewer, url.pathname);
      return new Response(answer.body as BodyInit, { status: answer.status, headers: { ...RENDERER_SECURITY_HEADERS, ...answer.headers } });
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { ...RENDERER_SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
