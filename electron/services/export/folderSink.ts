import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LumenError } from '../../../shared/domain/errors';
import type { ExportSink, StoredOutcome } from './exportObject';
import { stopsExport, writeError } from './exportErrors';
import { FileSetIndex } from './fileSetLayout';
import { assertTargetFree, stagingPath } from './stagingPath';

/** A PS3.10 File-set in a folder: DICOM/... files and a DICOMDIR at its root. */
export async function openFolderSink(target: string): Promise<ExportSink> {
  const { emptyFolder } = await assertTargetFree(target, 'folder');
  const staging = stagingPath(target);
  const index = new FileSetIndex();
  const made = new Set<string>();
  let failure: LumenError | null = null;
  return {
    batchSize: 1,
    async put(batch) {
      const out: (StoredOutcome | Error)[] = [];
      for (const item of batch) {
        if (failure) throw failure;
        const fileId = index.allocate(item.attributes);
        const file = path.join(staging, ...fileId);
        try {
          const dir = path.dirname(file);
          if (!made.has(dir)) {
            await mkdir(dir, { recursive: true });
            made.add(dir);
          }
          await writeFile(file, item.bytes);
          index.record(fileId, item.attributes);
          out.push({ fileId: fileId.join('/') });
        } catch (error) {
          const typed = writeError(error);
          if (stopsExport(typed)) {
            failure = typed;
            throw typed;
          }
          out.push(typed);
        }
      }
      return out;
    },
    async commit() {
      try {
        await writeFile(path.join(staging, 'DICOMDIR'), index.dicomDir(), { flush: true });
        if (emptyFolder) await rmdir(target);
        await rename(staging, target);
      } catch (error) {
        throw writeError(error);
      }
      return path.resolve(target);
    },
    async abandon() {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
