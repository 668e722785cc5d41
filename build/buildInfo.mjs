// Writes what the About box and `lumen doctor` report about this build: the version from package.json,
// the commit it was built from (with "-dirty" when the tree had uncommitted changes, so a support call
// can tell a release from a local build) and when it was built.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

function git(args) {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function currentCommit() {
  // Release builds from a source archive have no .git: the pipeline names the commit.
  if (process.env.LUMEN_BUILD_COMMIT) return process.env.LUMEN_BUILD_COMMIT;
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  if (!head) return 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  return dirty ? `${head}-dirty` : head;
}

export async function writeBuildInfo(file) {
  const pkg = JSON.parse(await readFile('package.json', 'utf8'));
  const info = { version: pkg.version, commit: currentCommit(), builtAt: new Date().toISOString() };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(info, null, 2) + '\n');
  return info;
}
