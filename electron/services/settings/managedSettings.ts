import type { PacsNodeSchema, PolicyStatus, Settings, SettingKey } from '../../../shared/ipc/contract';
import { LumenError } from '../../../shared/domain/errors';
import type { z } from 'zod';
import type { Policy, UpdateSourcePolicy } from './policySchema';
import type { LoadedPolicy } from './loadPolicy';

type PacsNode = z.infer<typeof PacsNodeSchema>;

/** Every setting a policy can fix; with an invalid policy all of them are held at safe defaults. */
const POLICY_SETTINGS: readonly SettingKey[] = ['importMode', 'localAeTitle', 'localPort', 'forceCpuInference', 'pacsNodes'];

/**
 * Safe defaults while the policy file is invalid: no PACS node (no network connection), CPU inference,
 * the built-in AE title and port. What the administrator meant cannot be known, so nothing the user set
 * earlier is trusted in its place either.
 */
const SAFE_DEFAULTS: Pick<Settings, 'importMode' | 'localAeTitle' | 'localPort' | 'forceCpuInference' | 'pacsNodes'> = {
  importMode: 'reference',
  localAeTitle: 'LUMEN',
  localPort: 11112,
  forceCpuInference: true,
  pacsNodes: [],
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const managedError = (what: string) => new LumenError('SETTINGS_MANAGED', `${what} is managed by your administrator and cannot be changed here.`);

/** Policy values laid over user settings, and the rule for what a user may still change. */
export class ManagedSettings {
  readonly status: PolicyStatus;
  /** The hospital-internal update source; null (no update check at all) unless a valid policy sets one. */
  readonly updates: UpdateSourcePolicy | null;
  private readonly fixed: Partial<Settings>;
  private readonly managedNodes: PacsNode[];

  constructor(loaded: LoadedPolicy) {
    const policy = loaded.state === 'applied' ? loaded.policy : null;
    this.fixed = loaded.state === 'invalid' ? SAFE_DEFAULTS : policy ? fixedSettings(policy) : {};
    this.managedNodes = policy?.pacsNodes ?? [];
    this.updates = policy?.updates ?? null;
    const managedSettings = loaded.state === 'invalid' ? [...POLICY_SETTINGS] : POLICY_SETTINGS.filter((key) => key in this.fixed || (key === 'pacsNodes' && policy?.allowUserPacsNodes === false));
    this.status = {
      state: loaded.state,
      file: loaded.file,
      problem: loaded.state === 'invalid' ? loaded.problem : null,
      managedSettings,
      managedPacsNodeIds: this.managedNodes.map((n) => n.id),
      userPacsNodesAllowed: loaded.state === 'invalid' ? false : policy?.allowUserPacsNodes !== false,
      dataDirectory: policy?.dataDirectory ?? null,
      enabledModels: policy?.enabledModels ?? null,
      auditExportDirectory: policy?.auditExport?.directory ?? null,
      updateSource: policy?.updates?.url ?? null,
    };
  }

  isManaged(key: SettingKey): boolean {
    return this.status.managedSettings.includes(key);
  }

  /** What the user sees and the services use: managed values win; managed PACS nodes come first. */
  apply(user: Settings): Settings {
    const userNodes = this.status.userPacsNodesAllowed ? user.pacsNodes.filter((n) => !this.status.managedPacsNodeIds.includes(n.id)) : [];
    const { pacsNodes: fixedNodes, ...fixedScalars } = this.fixed;
    return { ...user, ...fixedScalars, pacsNodes: fixedNodes ?? [...this.managedNodes, ...userNodes] };
  }

  /**
   * The part of a change that is the user's to store. A managed value sent back unchanged (the settings
   * page saves the whole form) is dropped; a different one is refused, so nothing is silently undone.
   */
  userChange(change: Partial<Settings>, effective: Settings): Partial<Settings> {
    const result: Partial<Settings> = {};
    for (const key of Object.keys(change) as SettingKey[]) {
      const value = change[key];
      if (key === 'pacsNodes') {
        result.pacsNodes = this.userNodes(change.pacsNodes ?? [], effective);
      } else if (this.isManaged(key)) {
        if (!same(value, effective[key])) throw managedError(`The setting "${key}"`);
      } else {
        Object.assign(result, { [key]: value });
      }
    }
    return result;
  }

  private userNodes(nodes: PacsNode[], effective: Settings): PacsNode[] {
    const managedIds = this.status.managedPacsNodeIds;
    for (const managed of effective.pacsNodes.filter((n) => managedIds.includes(n.id) || !this.status.userPacsNodesAllowed)) {
      const sent = nodes.find((n) => n.id === managed.id);
      if (!sent || !same(sent, managed)) throw managedError(`The PACS node "${managed.name}"`);
    }
    const own = nodes.filter((n) => !managedIds.includes(n.id));
    if (!this.status.userPacsNodesAllowed && own.length > 0) throw managedError('The list of PACS nodes');
    return own;
  }
}

function fixedSettings(policy: Policy): Partial<Settings> {
  const fixed: Partial<Settings> = {};
  if (policy.importMode !== undefined) fixed.importMode = policy.importMode;
  if (policy.localAeTitle !== undefined) fixed.localAeTitle = policy.localAeTitle;
  if (policy.localPort !== undefined) fixed.localPort = policy.localPort;
  if (policy.executionProvider !== undefined) fixed.forceCpuInference = policy.executionProvider === 'cpu';
  if (policy.allowUserPacsNodes === false) fixed.pacsNodes = policy.pacsNodes ?? [];
  return fixed;
}
