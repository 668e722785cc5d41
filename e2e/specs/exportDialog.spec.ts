import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

test('Export… writes the selected study to a folder with a DICOMDIR, with progress and per-object results', async ({ page, harness }) => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-export-'));
  const target = path.join(parent, 'phantom-export');
  await page.goto(harness.url);
  const exportButton = page.getByRole('button', { name: 'Export…' });
  await expect(exportButton).toBeDisabled();
  await page.getByRole('button', { name: 'Open demo study' }).click();
  const row = page.getByRole('row', { name: /DEMO, Phantom/ });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await row.click();
  await exportButton.click();

  const dialog = page.getByRole('dialog', { name: 'Export study' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose a destination folder.');
  await dialog.getByLabel('De-identify (DICOM PS3.15 Annex E basic profile)').check();
  await expect(dialog.getByRole('checkbox')).toHaveCount(3 + 5);
  await page.screenshot({ path: path.join(screenshotDir, 'export-dialog.png') });
  await dialog.getByLabel('De-identify (DICOM PS3.15 Annex E basic profile)').uncheck();
  await dialog.getByLabel('Destination folder path').fill(target);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();

  const results = dialog.getByTestId('export-results');
  await expect(results).toContainText(/Exported (\d+) of \1 objects\./, { timeout: 60_000 });
  await expect(results).toContainText(`Written to ${target}`);
  await page.screenshot({ path: path.join(screenshotDir, 'export-dialog-done.png') });
  expect(existsSync(path.join(target, 'DICOMDIR'))).toBe(true);
  expect(readdirSync(path.join(target, 'DICOM'))).toEqual(['P0000001']);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect(harness.foreignRequests).toEqual([]);
  rmSync(parent, { recursive: true, force: true });
});
