import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from './settingsStore';
import { ManagedSettings } from './managedSettings';
import { loadPolicy, type LoadedPolicy } from './loadPolicy';
import { machinePolicyFile, policyFileLocation } from './policyLocation';

const hospitalPacs = { id: 'hospital-pacs', name: 'Hospital PACS', aeTitle: 'HOSPPACS', host: '10.0.0.5', port: 104, tls: false };
const ownPacs = { id: 'my-node', name: 'My Orthanc', aeTitle: 'ORTHANC', host: '127.0.0.1', port: 4242, tls: false };

async function policyFromText(text: string): Promise<LoadedPolicy> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'lumen-policy-test-')), 'policy.json');
  await writeFile(file, text);
  return loadPolicy(file);
}

describe('loading the machine policy', () => {
  it('treats a missing file as "not managed"', async () => {
    expect(await loadPolicy('/no/such/dir/policy.json')).toEqual({ state: 'none', file: '/no/such/dir/policy.json' });
  });
  it('reports malformed JSON, unknown keys and bad values with the key to fix, never ignoring them', async () => {
    const notJson = await policyFromText('{ "schemaVersion": 1,');
    expect(notJson.state).toBe('invalid');
    expect(notJson.state === 'invalid' && notJson.problem).toMatch(/not valid JSON/);
    const typo = await policyFromText(JSON.stringify({ schemaVersion: 1, localAETitle: 'X' }));
    expect(typo.state === 'invalid' && typo.problem).toMatch(/Unrecognized key.*localAETitle/);
    const badPort = await policyFromText(JSON.stringify({ schemaVersion: 1, pacsNodes: [{ ...hospitalPacs, port: 0 }] }));
    expect(badPort.state === 'invalid' && badPort.problem).toMatch(/pacsNodes\.0\.port/);
    const relative = await policyFromText(JSON.stringify({ schemaVersion: 1, dataDirectory: 'data' }));
    expect(relative.state === 'invalid' && relative.problem).toMatch(/dataDirectory: must be an absolute path/);
  });
  it('lives where only administrators write, and the test override is ignored by an installed copy', () => {
    expect(machinePolicyFile('linux')).toBe('/etc/lumen/policy.json');
    expect(machinePolicyFile('darwin')).toBe('/Library/Application Support/Lumen/policy.json');
    expect(machinePolicyFile('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Lumen\\policy.json');
    expect(policyFileLocation({ packaged: false, platform: 'linux', env: { LUMEN_POLICY_FILE: '/tmp/p.json' } })).toBe('/tmp/p.json');
    expect(policyFileLocation({ packaged: true, platform: 'linux', env: { LUMEN_POLICY_FILE: '/tmp/p.json' } })).toBe('/etc/lumen/policy.json');
  });
});

describe('policy values over user settings', () => {
  const policy = new ManagedSettings({
    state: 'applied',
    file: '/etc/lumen/policy.json',
    policy: { schemaVersion: 1, pacsNodes: [hospitalPacs], localAeTitle: 'READROOM7', executionProvider: 'cpu', enabledModels: ['cxr-pneumonia'] },
  });
  const user = { ...DEFAULT_SETTINGS, localAeTitle: 'MINE', localPort: 11113, pacsNodes: [ownPacs] };

  it('overrides the managed keys, keeps the rest, and lists the managed PACS node first', () => {
    expect(policy.apply(user)).toEqual({ ...user, localAeTitle: 'READROOM7', forceCpuInference: true, pacsNodes: [hospitalPacs, ownPacs] });
    expect(policy.status.managedSettings).toEqual(['localAeTitle', 'forceCpuInference']);
    expect(policy.status.managedPacsNodeIds).toEqual(['hospital-pacs']);
    expect(policy.status.enabledModels).toEqual(['cxr-pneumonia']);
  });
  it('accepts managed values sent back unchanged and refuses changing them or removing a managed node', () => {
    const effective = policy.apply(user);
    expect(policy.userChange({ ...effective, localPort: 2000 }, effective)).toEqual({ importMode: 'reference', localPort: 2000, pacsNodes: [ownPacs] });
    expect(() => policy.userChange({ localAeTitle: 'OTHER' }, effective)).toThrow(expect.objectContaining({ code: 'SETTINGS_MANAGED' }));
    expect(() => policy.userChange({ forceCpuInference: false }, effective)).toThrow(/managed by your administrator/);
    expect(() => policy.userChange({ pacsNodes: [ownPacs] }, effective)).toThrow(/Hospital PACS/);
    expect(() => policy.userChange({ pacsNodes: [{ ...hospitalPacs, port: 11 }, ownPacs] }, effective)).toThrow(/Hospital PACS/);
    expect(policy.userChange({ pacsNodes: [hospitalPacs] }, effective)).toEqual({ pacsNodes: [] });
  });
  it('can forbid PACS nodes of the users own', () => {
    const locked = new ManagedSettings({ state: 'applied', file: 'p', policy: { schemaVersion: 1, pacsNodes: [hospitalPacs], allowUserPacsNodes: false } });
    expect(locked.apply(user).pacsNodes).toEqual([hospitalPacs]);
    expect(locked.status.managedSettings).toContain('pacsNodes');
    expect(() => locked.userChange({ pacsNodes: [hospitalPacs, ownPacs] }, locked.apply(user))).toThrow(/list of PACS nodes/);
  });
  it('with an invalid policy runs on safe defaults: no PACS node, CPU only, everything locked', () => {
    const invalid = new ManagedSettings({ state: 'invalid', file: 'p', problem: 'bad' });
    expect(invalid.apply(user)).toEqual({ ...user, importMode: 'reference', localAeTitle: 'LUMEN', localPort: 11112, forceCpuInference: true, pacsNodes: [] });
    expect(invalid.status.managedSettings).toEqual(['importMode', 'localAeTitle', 'localPort', 'forceCpuInference', 'pacsNodes']);
    expect(() => invalid.userChange({ pacsNodes: [ownPacs] }, invalid.apply(user))).toThrow(/SETTINGS_MANAGED|managed/);
  });
  it('stores only the users own values, so withdrawing the policy gives them back', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-settings-test-'));
    const managed = await SettingsStore.open(dataDir, policy);
    await managed.update({ ...managed.get(), localPort: 2000, pacsNodes: [hospitalPacs, ownPacs] });
    expect(managed.get()).toMatchObject({ localAeTitle: 'READROOM7', localPort: 2000, pacsNodes: [hospitalPacs, ownPacs] });
    const stored = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'));
    expect(stored).toMatchObject({ localAeTitle: 'LUMEN', localPort: 2000, pacsNodes: [ownPacs] });
    expect((await SettingsStore.open(dataDir)).get()).toMatchObject({ localAeTitle: 'LUMEN', localPort: 2000, pacsNodes: [ownPacs] });
  });
});
