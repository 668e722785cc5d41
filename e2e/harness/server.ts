import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createServices, type Services } from '../../electron/services/createServices';
import { createDispatch, createHandlers } from '../../electron/services/handlers/index';
import { RENDERER_SECURITY_HEADERS } from '../../shared/security/contentSecurityPolicy';
import { ClientMessageSchema, type ServerMessage } from './protocol';
import { LumenError } from '../../shared/domain/errors';
import { DATA_PREFIX, handleDataRequest } from '../../electron/services/viewer/dataChannel';
import { CONTENT_TYPES } from '../../electron/services/contentTypes';

/**
 * The browser harness: the same services and contract handlers as the app, with transport swapped for
 * loopback HTTP (the built renderer, later the data channel) and a WebSocket (the control channel)
 * that only a holder of the random token may open.
 */
export interface HarnessOptions {
  dataDir: string;
  /** Machine policy file (tests); default: the platform's, as in the app. */
  policyFile?: string;
  rendererDir: string;
  /** Built bridge script (out/harness/bridge.js). */
  bridgeScript: string;
  port?: number;
  /** Serve index.html with the bridge script tag, for people using the harness in a browser. */
  injectBridge?: boolean;
  /** Folder returned by app.pickFolder (there is no native dialog in a browser). */
  pickFolderAnswer?: string | null;
}

export interface Harness {
  url: string;
  token: string;
  services: Services;
  close(): Promise<void>;
}


export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('hex');
  const services = await createServices({ dataDir: options.dataDir, warmUp: true, ...(options.policyFile !== undefined ? { policyFile: options.policyFile } : {}) });
  const dispatch = createDispatch(
    createHandlers(services, {
      host: 'harness',
      pickFolder: async () => {
        if (options.pickFolderAnswer === undefined) {
          throw new LumenError('APP_NO_FOLDER_DIALOG', 'There is no folder dialog in the browser: type the folder path and press Import.');
        }
        return options.pickFolderAnswer;
      },
      dataChannel: () => ({ baseUrl: `${origin()}/data`, token }),
    }),
    (line) => process.stderr.write(`harness: ${line}\n`),
  );
  const rendererRoot = path.resolve(options.rendererDir);

  const server = http.createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });

  /** The data channel: the same routes as lumen://app/data, only for holders of the token. */
  async function serveData(pathname: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const offered = Buffer.from(String(req.headers['x-lumen-token'] ?? ''));
    const expected = Buffer.from(token);
    if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
      res.writeHead(403, RENDERER_SECURITY_HEADERS).end();
      return;
    }
    const answer = await handleDataRequest(services.viewer, pathname);
    res.writeHead(answer.status, { ...RENDERER_SECURITY_HEADERS, ...answer.headers });
    res.end(answer.body);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const pathname = decodeURIComponent(new URL(url, 'http://127.0.0.1').pathname);
    if (pathname.startsWith(DATA_PREFIX)) return serveData(pathname, req, res);
    if (pathname === '/__harness/bridge.js') {
      return send(res, 200, '.js', await readFile(options.bridgeScript));
    }
    const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
    const file = path.resolve(rendererRoot, relative);
    if (!file.startsWith(rendererRoot + path.sep)) return send(res, 404, '.html', 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404, '.html', 'not found');
    }
    if (relative === 'index.html' && options.injectBridge) {
      body = Buffer.from(body.toString('utf8').replace('<head>', '<head><script src="/__harness/bridge.js"></script>'));
    }
    return send(res, 200, path.extname(file), body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const offered = Buffer.from(url.searchParams.get('token') ?? '');
    const expected = Buffer.from(token);
    const originOk = req.headers.origin === origin();
    if (url.pathname !== '/ipc' || !originOk || offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const send = (message: ServerMessage) => ws.send(JSON.stringify(message));
    const unsubscribe = services.events.onAny((event, payload) => send({ type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let parsed;
      try {
        parsed = ClientMessageSchema.safeParse(JSON.parse(data.toString()));
      } catch {
        return;
      }
      if (!parsed.success) return;
      const { id, channel, payload } = parsed.data;
      void dispatch(channel, payload).then((envelope) => send({ type: 'result', id, envelope }));
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin(),
    token,
    services,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.dispose();
      await services.dispose();
    },
  };
}

function send(res: http.ServerResponse, status: number, ext: string, body: string | Buffer): void {
  res.writeHead(status, {
    ...RENDERER_SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
