import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { LUMEN_VERSION } from '../version';
import type { InstallLayout } from './installLayout';

/** out/build-info.json, written by build/buildInfo.mjs. */
const BuildInfoSchema = z.object({ version: z.string(), commit: z.string(), builtAt: z.string() });
export type BuildInfo = z.infer<typeof BuildInfoSchema> & { source: 'build' | 'checkout' };

/**
 * What was built: from the build's record when there is one; in a checkout that has not been built, the
 * working tree's commit (so `lumen doctor` names a commit either way).
 */
export async function readBuildInfo(layout: InstallLayout): Promise<BuildInfo> {
  try {
    const parsed = BuildInfoSchema.safeParse(JSON.parse(await readFile(layout.buildInfoFile, 'utf8')));
    if (parsed.success) return { ...parsed.data, source: 'build' };
  } catch {
    // not built yet: fall through to the checkout's commit
  }
  let commit = 'unknown';
  if (layout.kind === 'checkout') {
    try {
      commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: layout.appRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // no git: commit stays unknown
    }
  }
  return { version: LUMEN_VERSION, commit, builtAt: 'not built', source: 'checkout' };
}
