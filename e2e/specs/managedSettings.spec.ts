import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

/** Writes a machine policy file for one harness, as hospital IT would write /etc/lumen/policy.json. */
function policyFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lumen-policy-')), name);
  writeFileSync(file, content);
  return file;
}

const managedPolicy = policyFile(
  'policy.json',
  JSON.stringify({
    schemaVersion: 1,
    pacsNodes: [{ id: 'hospital-pacs', name: 'Hospital PACS', aeTitle: 'HOSPPACS', host: '127.0.0.1', port: 4242 }],
    localAeTitle: 'READROOM7',
    executionProvider: 'cpu',
  }),
);

test.describe('with a machine policy', () => {
  test.use({ harnessArgs: ['--policy-file', managedPolicy] });

  test('managed settings are applied, shown read-only, and a managed PACS node cannot be removed', async ({ page, harness }) => {
    await page.goto(harness.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();

    const aeTitle = page.getByLabel('Local AE title');
    await expect(aeTitle).toHaveValue('READROOM7');
    await expect(aeTitle).not.toBeEditable();
    const cpuOnly = page.getByLabel('Run AI models on the CPU only');
    await expect(cpuOnly).toBeChecked();
    await expect(cpuOnly).toBeDisabled();
    // Not managed: the user keeps these.
    await expect(page.getByLabel('Listening port')).toBeEditable();

    const node = page.getByRole('list', { name: 'PACS nodes' }).getByRole('listitem', { name: 'Hospital PACS' });
    await expect(node).toContainText('HOSPPACS@127.0.0.1:4242');
    await expect(node).toContainText('Managed by your administrator');
    await expect(node.getByRole('button', { name: 'Remove' })).toHaveCount(0);
    await expect(page.getByText('Managed by your administrator')).toHaveCount(3);

    // Saving the page (which sends the managed values back unchanged) works; the user's own value sticks.
    await page.getByLabel('Listening port').fill('11113');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved.');
    await page.screenshot({ path: path.join(screenshotDir, 'settings-managed-by-policy.png') });

    // The back end refuses what the page does not offer: removing the managed node, changing a managed value.
    const refused = await page.evaluate(async () => {
      const lumen = (window as unknown as { lumen: { settings: { update(c: unknown): Promise<{ ok: boolean; error?: { code: string } }> } } }).lumen;
      return [await lumen.settings.update({ pacsNodes: [] }), await lumen.settings.update({ localAeTitle: 'OTHER' })];
    });
    expect(refused.map((r) => r.error?.code)).toEqual(['SETTINGS_MANAGED', 'SETTINGS_MANAGED']);
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('listitem', { name: 'Hospital PACS' })).toBeVisible();
    await expect(page.getByLabel('Listening port')).toHaveValue('11113');
    await expect(page.getByRole('alert', { name: 'Policy error' })).toHaveCount(0);
    expect(harness.foreignRequests).toEqual([]);
  });
});

const malformedPolicy = policyFile('policy.json', JSON.stringify({ schemaVersion: 1, localPort: 70000, pacsNodez: [] }));

test.describe('with a malformed machine policy', () => {
  test.use({ harnessArgs: ['--policy-file', malformedPolicy] });

  test('says so on every page and runs with safe, locked defaults', async ({ page, harness }) => {
    await page.goto(harness.url);
    const banner = page.getByRole('alert', { name: 'Policy error' });
    await expect(banner).toContainText('The machine policy could not be applied.');
    await expect(banner).toContainText('localPort');
    await expect(banner).toContainText('pacsNodez');
    await expect(page.getByRole('button', { name: 'Open demo study' })).toBeVisible();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Local AE title')).toHaveValue('LUMEN');
    await expect(page.getByLabel('Local AE title')).not.toBeEditable();
    await expect(page.getByLabel('Run AI models on the CPU only')).toBeChecked();
    await page.screenshot({ path: path.join(screenshotDir, 'settings-policy-invalid.png') });
  });
});

test('the About box shows version, build, models and the research-use statement', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'About' }).click();
  const about = page.getByRole('dialog', { name: 'About Lumen' });
  await expect(about).toContainText('For research use only. Not a medical device.');
  await expect(about).toContainText('Version');
  await expect(about).toContainText('Build');
  await expect(about).toContainText('Models');
  await page.screenshot({ path: path.join(screenshotDir, 'about.png') });
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toHaveCount(0);
});
