import path from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

test('the first screen shows an empty library that says how to import, and a settings page', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByTestId('library-empty')).toBeVisible();
  await expect(page.getByText('Your study library is empty')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open demo study' })).toBeVisible();
  await expect(page.getByText('Research use only')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'first-screen-empty.png') });

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByLabel('Local AE title').fill('READROOM1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.screenshot({ path: path.join(screenshotDir, 'settings.png') });
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Local AE title')).toHaveValue('READROOM1');
  expect(harness.foreignRequests).toEqual([]);
});

test('the demo study is generated as DICOM, imported and listed', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  const row = page.getByRole('row', { name: /DEMO, Phantom/ });
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText('LUMEN-DEMO-0001');
  await expect(row).toContainText('CT');
  await expect(page.getByRole('status')).toContainText('Imported 96 new instances');
  await expect(page.getByLabel('Series').getByText('96 images')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'first-screen-demo-study.png') });

  await page.getByLabel('Search studies').fill('phantóm');
  await expect(row).toBeVisible();
  await page.getByLabel('Search studies').fill('nobody');
  // The demo CT is loading into the viewer meanwhile (two decode workers on two cores): on the CI
  // machine the answer once took longer than the default 5 s.
  await expect(page.getByText('No study matches')).toBeVisible({ timeout: 20_000 });
  expect(harness.foreignRequests).toEqual([]);
});

test('importing a path that does not exist reports it and the app keeps working', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill('/no/such/folder');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Nothing was imported.');
  await expect(page.getByText('The path does not exist.')).toBeVisible();
  await page.screenshot({ path: path.join(screenshotDir, 'import-missing-path.png') });
  await expect(page.getByRole('button', { name: 'Open demo study' })).toBeEnabled();
});
