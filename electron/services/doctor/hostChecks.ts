import { randomBytes } from 'node:crypto';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { check, type DoctorCheck } from './doctorCheck';

const GiB = 1024 ** 3;
/** Below this a large CT import or a retrieve will not fit; below the warning level it soon will not. */
const FAIL_BELOW = 1 * GiB;
const WARN_BELOW = 10 * GiB;

export async function dataDirectoryCheck(dataDir: string): Promise<DoctorCheck> {
  const title = 'Data directory';
  try {
    await mkdir(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.doctor-${randomBytes(6).toString('hex')}`);
    await writeFile(probe, 'lumen doctor write test\n');
    await rm(probe);
  } catch (error) {
    return check('data-directory', title, 'fail', `${dataDir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { dataDir });
  }
  const fs = await statfs(dataDir);
  const free = fs.bavail * fs.bsize;
  const data = { dataDir, freeBytes: free };
  const freeText = `${(free / GiB).toFixed(1)} GiB free`;
  if (free < FAIL_BELOW) return check('data-directory', title, 'fail', `${dataDir} is writable but has only ${freeText}.`, data);
  if (free < WARN_BELOW) return check('data-directory', title, 'warn', `${dataDir} is writable; only ${freeText}.`, data);
  return check('data-directory', title, 'ok', `${dataDir} is writable, ${freeText}.`, data);
}

/** Whether the DICOM listener (C-STORE SCP) could bind its port: another program there would block retrieves. */
export async function scpPortCheck(port: number): Promise<DoctorCheck> {
  const title = 'DICOM listening port';
  const problem = await new Promise<string | null>((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(null)));
  });
  if (problem === null) return check('scp-port', title, 'ok', `Port ${port} is free for Lumen's DICOM listener.`, { port });
  const hint = problem === 'EADDRINUSE' ? 'another program (or a running Lumen) listens there; close Lumen before running doctor, or choose another port' : problem;
  return check('scp-port', title, 'fail', `Port ${port} cannot be opened: ${hint}.`, { port, error: problem });
}
