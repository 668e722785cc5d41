import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** For tests: an https front for a plain-HTTP server on 127.0.0.1 (a TLS-terminating reverse proxy). */
export async function startTlsProxy(targetPort: number, tls: { certificateFile: string; privateKeyFile: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer({ cert: readFileSync(tls.certificateFile), key: readFileSync(tls.privateKeyFile) }, (request, response) => {
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
