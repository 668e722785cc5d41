import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import type { LumenError } from '../../../shared/domain/errors';
import type { ExportSink } from './exportObject';
import { writeError } from './exportErrors';
import { FileSetIndex } from './fileSetLayout';
import { assertTargetFree, stagingPath } from './stagingPath';

/** Bytes handed to yazl but not yet on disk before put() waits: keeps memory bounded on big studies. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/**
 * The File-set (DICOM/... and DICOMDIR) inside a ZIP, streamed to disk by yazl, which switches to
 * ZIP64 by itself when an entry or the archive passes 4 GiB or 65,535 entries (APPNOTE 4.3.9).
 * Entries are stored, not deflated: most pixel data is already compressed or compresses poorly against
 * its cost on a workstation's CPU, and stored entries keep written bytes in step with added bytes, which
 * is what bounds memory here.
 */
export async function openZipSink(target: string): Promise<ExportSink> {
  await assertTargetFree(target, 'file');
  const staging = stagingPath(target);
  const index = new FileSetIndex();
  const zip = new yazl.ZipFile();
  const file = createWriteStream(staging);
  let failure: LumenError | null = null;
  let added = 0;
  let written = 0;
  let wake: (() => void) | null = null;
  const closed = new Promise<void>((resolve) => {
    file.on('close', resolve);
    file.on('error', (error) => {
      failure ??= writeError(error);
      wake?.();
      resolve();
    });
  });
  zip.outputStream.on('data', (chunk: Buffer) => {
    written += chunk.length;
    if (added - written < MAX_PENDING_BYTES) wake?.();
  });
  zip.outputStream.pipe(file);
  return {
    batchSize: 1,
    async put(batch) {
      if (failure) throw failure;
      const out = batch.map((item) => {
        const fileId = index.allocate(item.attributes);
        zip.addBuffer(Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength), fileId.join('/'), { compress: false });
        index.record(fileId, item.attributes);
        added += item.bytes.byteLength;
        return { fileId: fileId.join('/') };
      });
      while (!failure && added - written > MAX_PENDING_BYTES) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
        wake = null;
      }
      if (failure) throw failure;
      return out;
    },
    async commit() {
      if (failure) throw failure;
      zip.addBuffer(index.dicomDir(), 'DICOMDIR');
      zip.end();
      await closed;
      if (failure) throw failure;
      try {
        await rename(staging, target);
      } catch (error) {
        throw writeError(error);
      }
      return path.resolve(target);
    },
    async abandon() {
      zip.outputStream.unpipe(file);
      file.destroy();
      await rm(staging, { force: true }).catch(() => undefined);
    },
  };
}
