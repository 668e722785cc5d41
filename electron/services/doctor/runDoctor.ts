import type { Settings } from '../../../shared/ipc/contract';
import { LumenError } from '../../../shared/domain/errors';
import { readBuildInfo } from '../install/buildInfo';
import { resolveInstallLayout, type InstallLayout } from '../install/installLayout';
import { ManagedSettings } from '../settings/managedSettings';
import { loadPolicy } from '../settings/loadPolicy';
import { policyFileLocation } from '../settings/policyLocation';
import { SettingsStore } from '../settings/settingsStore';
import { check, guarded, type DoctorCheck } from './doctorCheck';
import { dataDirectoryCheck, scpPortCheck } from './hostChecks';
import { integrityCheck, versionCheck } from './installationChecks';
import { libraryCheck } from './libraryChecks';
import { executionProvidersCheck, modelsCheck } from './modelChecks';
import { pacsNodesCheck } from './pacsChecks';

export interface DoctorOptions {
  /** The data directory the app uses (the policy's, if it sets one, wins as in the app). */
  dataDir: string;
  layout?: InstallLayout;
  policyFile?: string;
  /** Check another models folder (for example a copy before deploying it). */
  modelsDir?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** Everything hospital IT needs to know about one workstation, without starting the app. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const layout = options.layout ?? resolveInstallLayout();
  const loaded = await loadPolicy(options.policyFile ?? policyFileLocation({ packaged: layout.kind === 'packaged' }));
  const policy = new ManagedSettings(loaded);
  const dataDir = policy.status.dataDirectory ?? options.dataDir;
  const checks: DoctorCheck[] = [];

  checks.push(versionCheck(await readBuildInfo(layout), layout));
  const policyLine =
    loaded.state === 'none'
      ? check('policy', 'Machine policy', 'ok', `No policy file at ${loaded.file}: settings are the users' own.`, { ...policy.status })
      : loaded.state === 'applied'
        ? check('policy', 'Machine policy', 'ok', `${loaded.file} is valid; it manages ${describeManaged(policy)}.`, { ...policy.status })
        : check('policy', 'Machine policy', 'fail', `${loaded.problem} The app runs with safe defaults until it is fixed.`, { ...policy.status });
  checks.push(policyLine);
  checks.push(await guarded('integrity', 'Installation integrity', () => integrityCheck(layout)));
  checks.push(await guarded('models', 'Models', () => modelsCheck(options.modelsDir ?? layout.modelsDir, policy.status.enabledModels)));

  // Without readable user settings there is nothing to say about PACS nodes or the listening port.
  let settings: Settings | null = null;
  try {
    settings = (await SettingsStore.open(dataDir, policy)).get();
  } catch (error) {
    checks.push(check('settings', 'User settings', 'fail', error instanceof LumenError ? `${error.code}: ${error.message}` : String(error)));
  }
  const forceCpu = settings?.forceCpuInference ?? true;
  checks.push(await guarded('execution-providers', 'Execution providers', () => executionProvidersCheck(forceCpu)));
  checks.push(await guarded('data-directory', 'Data directory', () => dataDirectoryCheck(dataDir)));
  checks.push(await guarded('library', 'Study library', () => libraryCheck(dataDir)));
  if (settings) {
    const effective = settings;
    checks.push(await guarded('pacs', 'PACS nodes', () => pacsNodesCheck(effective)));
    checks.push(await guarded('scp-port', 'DICOM listening port', () => scpPortCheck(effective.localPort)));
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

function describeManaged(policy: ManagedSettings): string {
  const s = policy.status;
  const parts: string[] = [...s.managedSettings];
  if (s.dataDirectory) parts.push('dataDirectory');
  if (s.enabledModels) parts.push('enabledModels');
  if (s.auditExportDirectory) parts.push('auditExport');
  if (s.updateSource) parts.push(`updates from ${s.updateSource}`);
  return parts.length ? parts.join(', ') : 'nothing';
}
