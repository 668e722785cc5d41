import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { freePort, startOrthanc, type OrthancPeer } from '../../electron/services/network/testing/orthanc';
import { test, expect, repoRoot, screenshotDir } from './fixtures';

/** Four studies of one volunteer (same patient, date and description; one per patient position). */
const decubitus = path.resolve(repoRoot, '..', 'shared', 'data', 'mr', 'decubitus');

const studyRows = (page: Page) => page.getByRole('table', { name: 'Studies' }).locator('tbody tr');
const firstColumn = (page: Page) => studyRows(page).locator('td:first-child').allInnerTexts();

test('the library searches, filters and sorts the demo CT and an imported MR folder', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  await expect(page.getByRole('row', { name: /DEMO, Phantom/ })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Folder or file to import').fill(decubitus);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  // 140 slices; the README and the dcm2niix sidecars are reported, not fatal.
  await expect(page.getByRole('status')).toContainText('Imported 140 new instances from 145 files', { timeout: 60_000 });
  await expect(page.getByRole('status')).toContainText('5 file(s) could not be read');
  await expect(studyRows(page)).toHaveCount(5);
  // The same folder again (a CD inserted twice): nothing twice, and the message says why nothing was added.
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Imported 0 new instances from 145 files; 140 already in the library', { timeout: 60_000 });
  await expect(studyRows(page)).toHaveCount(5);

  // Sort: a header click sorts ascending, the next descending; aria-sort says which.
  const patientHeader = page.getByRole('columnheader', { name: 'Patient' });
  await patientHeader.getByRole('button').click();
  await expect(patientHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => firstColumn(page)).toEqual(['DEMO, Phantom', 'HFS', 'HFS', 'HFS', 'HFS']);
  await patientHeader.getByRole('button').click();
  await expect(patientHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => firstColumn(page)).toEqual(['HFS', 'HFS', 'HFS', 'HFS', 'DEMO, Phantom']);
  await expect(page.getByRole('columnheader', { name: 'Date' })).toHaveAttribute('aria-sort', 'none');
  const modalityHeader = page.getByRole('columnheader', { name: 'Mod.' });
  await modalityHeader.getByRole('button').click();
  await expect.poll(() => studyRows(page).locator('td:nth-child(4)').allInnerTexts()).toEqual(['CT', 'MR', 'MR', 'MR', 'MR']);
  await page.screenshot({ path: path.join(screenshotDir, 'library-sorted.png') });

  // Filters: modality, patient ID, date range, each against what the files hold.
  await page.getByLabel('Modality').selectOption('MR');
  await expect(studyRows(page)).toHaveCount(4);
  await page.getByLabel('Modality').selectOption('CT');
  await expect(studyRows(page)).toHaveCount(1);
  await expect(studyRows(page).first()).toContainText('LUMEN-DEMO-0001');
  await page.getByLabel('Modality').selectOption('');
  await page.getByLabel('Patient ID').fill('crlab');
  await expect(studyRows(page)).toHaveCount(4);
  await page.getByLabel('Patient ID').fill('');
  await page.getByLabel('Study date from').fill('2022-04-01');
  await page.getByLabel('Study date to').fill('2022-04-30');
  await expect(studyRows(page)).toHaveCount(4);
  await page.screenshot({ path: path.join(screenshotDir, 'library-filtered.png') });
  await page.getByLabel('Study date to').fill('2022-04-06');
  await expect(page.getByText('No study matches the search and filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(studyRows(page)).toHaveCount(5);
  await page.getByLabel('Search studies').fill('rorden');
  await expect(studyRows(page)).toHaveCount(4);
  expect(harness.foreignRequests).toEqual([]);
});

async function addNode(page: Page, fields: Record<string, string>) {
  await page.getByRole('button', { name: 'Add PACS node' }).click();
  const form = page.getByRole('group', { name: 'New PACS node' });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByRole('button', { name: 'Save node' }).click();
  return form;
}

test('PACS nodes are added, validated, edited, tested and removed', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const closedPort = await freePort();

  // Everything wrong at once: each field says what is expected.
  const form = await addNode(page, { Name: '', 'AE title': 'THIS AE TITLE IS TOO LONG', Host: '', Port: '70000', 'DICOMweb URL (optional)': 'not a url' });
  await expect(form.getByText('Enter a name (up to 128 characters).')).toBeVisible();
  await expect(form.getByText(/AE titles are 1-16 printable ASCII characters/)).toBeVisible();
  await expect(form.getByText('Enter a host name or IP address.')).toBeVisible();
  await expect(form.getByText(/The port is a whole number from 1 to 65535/)).toBeVisible();
  await expect(form.getByText(/The DICOMweb URL must be a full address/)).toBeVisible();
  await expect(form.getByLabel('Port', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: path.join(screenshotDir, 'pacs-node-validation.png'), fullPage: true });

  for (const [label, value] of Object.entries({ Name: 'Closed port', 'AE title': 'NOBODY', Host: '127.0.0.1', Port: String(closedPort), 'DICOMweb URL (optional)': '' })) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
  await form.getByRole('button', { name: 'Save node' }).click();
  await expect(form).toHaveCount(0);
  const nodes = page.getByRole('list', { name: 'PACS nodes' });
  const node = nodes.getByRole('listitem', { name: 'Closed port' });
  await expect(node).toContainText(`NOBODY@127.0.0.1:${closedPort}`);

  // A duplicate name is refused.
  const duplicate = await addNode(page, { Name: 'closed PORT', 'AE title': 'X', Host: 'h', Port: '104' });
  await expect(duplicate.getByText('A node named “closed PORT” already exists.')).toBeVisible();
  await duplicate.getByRole('button', { name: 'Cancel' }).click();

  // Test connection against nothing listening: a clear sentence, not a stack trace.
  await node.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByRole('list', { name: 'Connection test of Closed port' });
  await expect(result).toContainText('DICOM (C-ECHO) failed:', { timeout: 30_000 });
  await expect(result).not.toContainText('Error:');
  await expect(result).not.toContainText('ECONNREFUSED');
  await page.screenshot({ path: path.join(screenshotDir, 'pacs-node-test-unreachable.png'), fullPage: true });

  // Edit survives a reload (it is saved at once), then remove.
  await node.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('group', { name: 'Edit PACS node Closed port' });
  await edit.getByLabel('DICOMweb URL (optional)').fill(`http://127.0.0.1:${closedPort}/dicom-web`);
  await edit.getByLabel('Name', { exact: true }).fill('Archive');
  await page.getByRole('group', { name: 'Edit PACS node Archive' }).getByRole('button', { name: 'Save node' }).click();
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  const renamed = page.getByRole('listitem', { name: 'Archive' });
  await expect(renamed).toContainText(`http://127.0.0.1:${closedPort}/dicom-web`);
  await renamed.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('PACS nodes: none configured.')).toBeVisible();
  expect(harness.foreignRequests).toEqual([]);
});

test('the listener is switched on and off from settings and shows its status', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const port = await freePort();
  await page.getByLabel('Listening port').fill(String(port));
  await page.getByLabel('Also accept studies from AE titles').fill('CT01, STORESCU');
  await page.getByRole('button', { name: 'Save' }).click();
  // generous: on a loaded 2-core CI machine the first settings round trip can take several seconds
  await expect(page.getByRole('status')).toHaveText('Saved.', { timeout: 20_000 });
  const toggle = page.getByLabel('Receive studies from modalities and PACS (DICOM listener)');
  // The box follows the listener's real state, which arrives after the click: click, then wait.
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(page.getByLabel('Listener status')).toContainText(`Listening as LUMEN on port ${port}`);
  await page.screenshot({ path: path.join(screenshotDir, 'settings-scp-listening.png'), fullPage: true });
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Also accept studies from AE titles')).toHaveValue('CT01, STORESCU');
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(page.getByLabel('Listener status')).toHaveText('Not listening.');
});

test.describe('against a real Orthanc', () => {
  let orthanc: OrthancPeer;
  test.beforeAll(async () => {
    orthanc = await startOrthanc({ modalities: { lumen: ['LUMEN', '127.0.0.1', await freePort()] } });
    // One of the four studies goes into the PACS through Orthanc's REST API.
    const folder = path.join(decubitus, 'HFS', '3_t1_fl2d_sag');
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.dcm'))) {
      const response = await fetch(`http://127.0.0.1:${orthanc.httpPort}/instances`, { method: 'POST', body: readFileSync(path.join(folder, name)) });
      expect(response.ok).toBe(true);
    }
  });
  test.afterAll(async () => orthanc?.stop());

  test('a study is found on the PACS, retrieved with progress, and appears in the library', async ({ page, harness }) => {
    await page.goto(harness.url);
    await page.getByRole('button', { name: 'Settings' }).click();
    await addNode(page, { Name: 'Orthanc', 'AE title': orthanc.aeTitle, Host: '127.0.0.1', Port: String(orthanc.dicomPort), 'DICOMweb URL (optional)': orthanc.dicomWebUrl });
    const node = page.getByRole('listitem', { name: 'Orthanc' });
    await node.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('list', { name: 'Connection test of Orthanc' })).toContainText(/DICOM \(C-ECHO\): connected, \d+ ms round trip/);
    await expect(page.getByRole('list', { name: 'Connection test of Orthanc' })).toContainText(/DICOMweb \(QIDO-RS\): connected/);
    await page.screenshot({ path: path.join(screenshotDir, 'pacs-node-test-ok.png'), fullPage: true });

    await page.getByRole('button', { name: 'PACS', exact: true }).click();
    await page.getByLabel('Patient ID').fill('crlab');
    await page.getByRole('button', { name: 'Search PACS' }).click();
    const results = page.getByRole('table', { name: 'PACS studies' });
    await expect(results.locator('tbody tr')).toHaveCount(1);
    await expect(results).toContainText('Rorden^Rorden_Prisma');
    await expect(results).toContainText('1 / 35');
    await results.getByRole('button', { name: /Retrieve study of HFS/ }).click();
    await expect(results).toContainText('Retrieved: 35 received, 35 new', { timeout: 60_000 });
    await page.screenshot({ path: path.join(screenshotDir, 'pacs-retrieved.png'), fullPage: true });

    await page.getByRole('button', { name: 'Library' }).click();
    await expect(studyRows(page)).toHaveCount(1);
    await expect(studyRows(page).first()).toContainText('crlab');
    expect(harness.foreignRequests).toEqual([]);
  });
});
