import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * For tests: a real Orthanc (Debian's, with the DICOMweb plugin) on 127.0.0.1, configured from scratch
 * in a temp folder with free ports, stopped by its pid. Nothing outside loopback is reachable from it.
 */
export interface OrthancPeer {
  aeTitle: string;
  dicomPort: number;
  httpPort: number;
  dicomWebUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * DICOM TLS (DicomTls*): PEM files of the server's certificate, its key and the CA. Orthanc's own HTTPS
 * (Ssl*) is not used: Debian's Orthanc 1.10.1 dies on the first HTTPS connection here (measured), so
 * DICOMweb over https is tested through a TLS-terminating proxy, as hospitals often deploy it.
 */
export interface OrthancTls {
  certificateFile: string;
  privateKeyFile: string;
  caFile: string;
}

export async function startOrthanc(options: { modalities: Record<string, [string, string, number]>; tls?: OrthancTls }): Promise<OrthancPeer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lumen-orthanc-'));
  const [dicomPort, httpPort] = [await freePort(), await freePort()];
  const aeTitle = 'ORTHANC';
  const config = {
    Name: 'lumen-test',
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aeTitle,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomCheckCalledAet: true,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowMove: true,
    DicomAlwaysAllowGet: true,
    DicomModalities: options.modalities,
    Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
    StorageCompression: false,
    ...(options.tls ? tlsConfig(options.tls) : {}),
  };
  const configFile = path.join(dir, 'orthanc.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const child: ChildProcess = spawn('/usr/sbin/Orthanc', [configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const base = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  let lastError = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited: ${log}`);
    try {
      const response = await fetch(`${base}/system`);
      if (response.ok) break;
    } catch (error) {
      // not listening yet
      lastError = String(error);
    }
    if (Date.now() > deadline) throw new Error(`Orthanc did not start (${lastError}): ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    aeTitle,
    dicomPort,
    httpPort,
    dicomWebUrl: `${base}/dicom-web`,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function tlsConfig(tls: OrthancTls): Record<string, unknown> {
  return {
    DicomTlsEnabled: true,
    DicomTlsCertificate: tls.certificateFile,
    DicomTlsPrivateKey: tls.privateKeyFile,
    DicomTlsTrustedCertificates: tls.caFile,
    DicomTlsRemoteCertificateRequired: false,
  };
}
