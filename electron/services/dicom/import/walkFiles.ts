import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every file under a path: the file itself, or a folder's files recursively (hidden entries skipped,
 * names in order so imports are repeatable). Streams: a folder of 100,000 files is never listed at once.
 */
export async function* walkFiles(target: string, signal?: AbortSignal): AsyncGenerator<string> {
  const info = await stat(target);
  if (info.isFile()) {
    yield target;
    return;
  }
  if (!info.isDirectory()) return;
  const dirs: string[] = [];
  const files: string[] = [];
  for await (const entry of await opendir(target)) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) dirs.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
  }
  for (const name of files.sort()) {
    if (signal?.aborted) return;
    yield path.join(target, name);
  }
  for (const name of dirs.sort()) {
    if (signal?.aborted) return;
    yield* walkFiles(path.join(target, name), signal);
  }
}
