import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, repoRoot, screenshotDir } from './fixtures';

const radiograph = path.resolve(repoRoot, '..', 'shared', 'data', 'cxr', 'dicom', 'CR-MONO1-10-chest.dcm');

test('"Report (PDF)…" in the viewer writes the study report to the path the user types', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByLabel('Folder or file to import').fill(radiograph);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('row', { name: /ANONYMIZED/ }).click({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Report (PDF)…' }).click();
  const out = path.join(harness.dataDir, 'report.pdf');
  await page.getByLabel('Report file path').fill(out);
  await page.getByRole('button', { name: 'Write report' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Report written' })).toContainText('(1 page)', { timeout: 60_000 });
  // poppler reads what the UI wrote: one A4 page with the header window of the radiograph.
  expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n[\s\S]*Page size:\s+595.28 x 841.89 pts \(A4\)/);
  expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('W 1024 / L 550');
  await page.screenshot({ path: path.join(screenshotDir, 'study-report.png') });

  await page.getByLabel('Report file path').fill('relative.pdf');
  await page.getByRole('button', { name: 'Write report' }).click();
  await expect(page.getByRole('alert')).toContainText('Give the full path of the PDF file to write.');
  expect(harness.foreignRequests).toEqual([]);
});
