import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every file under a path: the file itself, or a folder's files recursively (hidden entries skipped,
 * names in order so imports are repeatable). Streams: a folder of 100,000 files is never listed at once.
 * Symbolic links are followed, to files and to folders (a share linked into a study folder); a folder
 * reached twice, as through a link back up the tree, is walked once.
 */
export async function* walkFiles(target: string, signal?: AbortSignal, visited = new Set<string>()): AsyncGenerator<string> {
  const info = await stat(target);
  if (info.isFile()) {
    yield target;
    return;
  }
  if (!info.isDirectory()) return;
  const real = await realpath(target);
  if (visited.has(real)) return;
  visited.add(real);
  const dirs: string[] = [];
  const files: string[] = [];
  for await (const entry of await opendir(target)) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) dirs.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
    else if (entry.isSymbolicLink()) {
      // where it points decides; a dangling link is no file
      const linked = await stat(path.join(target, entry.name)).catch(() => null);
      if (linked?.isDirectory()) dirs.push(entry.name);
      else if (linked?.isFile()) files.push(entry.name);
    }
  }
  for (const name of files.sort()) {
    if (signal?.aborted) return;
    yield path.join(target, name);
  }
  for (const name of dirs.sort()) {
    if (signal?.aborted) return;
    yield* walkFiles(path.join(target, name), signal, visited);
  }
}
