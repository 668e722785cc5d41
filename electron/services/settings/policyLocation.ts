import path from 'node:path';

/**
 * Where the machine policy lives: a path only administrators can write. Tests and the harness point
 * elsewhere with LUMEN_POLICY_FILE, which an installed copy ignores: a user could otherwise set it and
 * slip out from under the hospital's policy.
 */
// Windows: %ProgramData% comes from the environment, which a user can change for their own processes;
// the known-folder API that cannot be redirected is out of Node's reach. Deployments that need that
// guarantee keep ProgramData at its default or lock the environment by Group Policy.
export function machinePolicyFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Lumen', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Lumen/policy.json';
  return '/etc/lumen/policy.json';
}

export function policyFileLocation(options: { packaged: boolean; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv }): string {
  const env = options.env ?? process.env;
  if (!options.packaged && env.LUMEN_POLICY_FILE) return path.resolve(env.LUMEN_POLICY_FILE);
  return machinePolicyFile(options.platform, env);
}
