import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PatientTimeline, ProgressionRun } from '../../shared/domain/progressionTimeline';
import type { LumenBridge } from '../../shared/ipc/bridge';
import { test, expect, repoRoot, screenshotDir } from './fixtures';

const oasisCsv = path.resolve(repoRoot, '..', 'shared', 'data', 'oasis', 'oasis_longitudinal_train.csv');
const SUBJECT = 'OAS2_0017';
const MODEL = 'oasis-progression';

/** The subject's rows of the shared OASIS table, in a temporary CSV (the data is never copied into the repo). */
function subjectCsv(): { file: string; lines: number[] } {
  const all = readFileSync(oasisCsv, 'utf8').split('\n');
  const lines = all.flatMap((l, i) => (l.startsWith(`${SUBJECT},`) ? [i] : []));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-oasis-')), 'oasis_subject.csv');
  writeFileSync(file, [all[0], ...lines.map((i) => all[i])].join('\n') + '\n');
  // Line numbers in the new file: the header is line 1.
  return { file, lines: lines.map((_, j) => j + 2) };
}

/** The CLI's predictions for the same file: onnxruntime in a separate process, no app code between. */
function cliPredictions(file: string): { visit: number; horizonDays: number; risk: number; attention: number[] }[] {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'lumen.mjs'), 'progression', '--model', MODEL, '--csv', file], { encoding: 'utf8', cwd: repoRoot });
  expect(run.status).toBe(0);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const service = {
  predict: (page: Page, horizonDays?: number) =>
    page.evaluate(
      async ([patientId, modelId, h]) => {
        const r = await (window as unknown as { lumen: LumenBridge }).lumen.progression.predict({ patientId, modelId, ...(h === null ? {} : { horizonDays: h }) });
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      },
      [SUBJECT, MODEL, horizonDays ?? null] as const,
    ) as Promise<ProgressionRun>,
  timeline: (page: Page) =>
    page.evaluate(
      async ([patientId, modelId]) => {
        const r = await (window as unknown as { lumen: LumenBridge }).lumen.progression.timeline({ patientId, modelId });
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      },
      [SUBJECT, MODEL] as const,
    ) as Promise<PatientTimeline>,
};

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

test('an OASIS subject becomes a timeline with sources, risk at each visit and attention, and the form records corrections', async ({ page, harness }) => {
  const csv = subjectCsv();
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Progression' }).click();
  await expect(page.getByTestId('ruo')).toHaveText('Research use only. Not a medical device.');
  await page.getByLabel('Visit table (CSV) to import').fill(csv.file);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  // 4 visits x 9 features, every cell filled for this subject.
  await expect(page.getByRole('status')).toContainText('Imported 36 values of 1 patient(s) from oasis_subject.csv');
  await page.getByRole('list', { name: 'Patients' }).getByRole('button', { name: new RegExp(SUBJECT) }).click();

  // The visits, by their MR Delay, each measure with a CSV badge that names the file and line.
  const rows = page.getByTestId('visit-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.locator('th')).toHaveText(['Day 0 (visit 1)', 'Day 617 (visit 3)', 'Day 1861 (visit 4)', 'Day 2400 (visit 5)']);
  await expect(page.getByTestId('provenance')).toHaveCount(36);
  await expect(page.getByTestId('provenance').filter({ hasText: 'CSV' })).toHaveCount(36);
  for (const [i, line] of csv.lines.entries()) {
    await expect(rows.nth(i).locator('td[data-feature="mmse"] [data-testid="provenance"]')).toHaveAttribute('title', `Imported from oasis_subject.csv, line ${line}`);
  }
  await expect(page.getByTestId('timeline-visit')).toHaveCount(4);

  // Default horizon one year: a risk at each of the 4 visits; the numbers shown are the service's.
  const yearRun = await service.predict(page, 365);
  await expect(page.getByTestId('risk-point')).toHaveCount(4);
  const shownRisks = await page.getByTestId('risk-point').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-risk'))));
  expect(shownRisks).toEqual(yearRun.points.map((p) => p.risk));
  await expect(page.getByTestId('risk-point').locator('text')).toHaveText(yearRun.points.map((p) => pct(p.risk)));
  await expect(page.getByTestId('risk-summary').locator('.risk-value')).toHaveText(pct(yearRun.points[3]!.risk));
  // The manifest's operating threshold, dashed across the chart (a line has no height, so its label is checked).
  await expect(page.getByTestId('risk-threshold')).toHaveCount(1);
  await expect(page.getByText(`operating threshold ${pct(yearRun.threshold)}`)).toBeVisible();
  // The attention of the latest prediction, one bar per visit it weighed.
  await expect(page.getByTestId('attention-bar')).toHaveCount(4);
  const weights = await page.getByTestId('attention-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-weight'))));
  expect(weights).toEqual(yearRun.points[3]!.attention);
  await expect(page.getByTestId('attention-bar').locator('text')).toHaveText(yearRun.points[3]!.attention.map(pct));
  await page.screenshot({ path: path.join(screenshotDir, 'progression-timeline.png'), fullPage: true });

  // The model card: the cross-validated AUC of the model and of both baselines from its manifest, so the
  // reader can weigh the risk, and the operating point.
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', MODEL, 'manifest.json'), 'utf8')) as {
    version: string;
    metrics: { cv: Record<string, { auc: number }> };
  };
  await page.getByRole('button', { name: 'Model card' }).click();
  const card = page.locator('.model-card');
  await expect(card).toContainText(`${manifest.version} (${MODEL})`);
  await expect(card).toContainText('Intended use');
  const cvRows = card.locator('table tbody tr');
  await expect(cvRows.locator('th')).toHaveText(Object.keys(manifest.metrics.cv));
  for (const [name, set] of Object.entries(manifest.metrics.cv)) {
    await expect(cvRows.filter({ has: page.locator('th', { hasText: name }) }).locator('td').first()).toHaveText(String(set.auc));
  }
  await expect(card).toContainText(`threshold ${yearRun.threshold}`);
  await card.screenshot({ path: path.join(screenshotDir, 'progression-model-card.png') });
  await page.getByRole('button', { name: 'Model card' }).click();
  await expect(card).toHaveCount(0);

  // As trained (to the next visit): the CLI's numbers, visit by visit.
  await page.getByLabel('Horizon').selectOption({ label: 'To the next visit (as trained)' });
  const cli = cliPredictions(csv.file);
  expect(cli).toHaveLength(3);
  await expect(page.getByTestId('risk-point')).toHaveCount(3);
  const nextRisks = await page.getByTestId('risk-point').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-risk'))));
  expect(nextRisks).toEqual(cli.map((c) => c.risk));
  expect((await service.predict(page)).points.map((p) => p.attention)).toEqual(cli.map((c) => c.attention));
  // A click on the first point shows what that prediction leaned on: visit 1 only.
  await page.getByTestId('risk-point').first().locator('circle').click();
  await expect(page.getByTestId('attention-bar')).toHaveCount(1);
  await expect(page.getByTestId('attention-bar').locator('text')).toHaveText(pct(cli[0]!.attention[0]!));

  // A correction through the form: saved with provenance 'form', the other values keep theirs.
  await rows.nth(1).getByRole('button', { name: /Edit measures/ }).click();
  const form = page.getByRole('form', { name: 'Visit measures form' });
  await expect(form.getByRole('heading')).toHaveText('Measures of Day 617 (visit 3)');
  // A value off the instrument's scale (the manifest's range) is refused with its reason, nothing saved.
  await form.getByLabel('MMSE').fill('250');
  await form.getByRole('button', { name: 'Save measures' }).click();
  await expect(form.getByRole('alert')).toHaveText('MMSE 250 is outside 0-30 (points 0-30).');
  await form.getByLabel('MMSE').fill('25');
  await form.getByRole('button', { name: 'Save measures' }).click();
  await expect(form).toHaveCount(0);
  const mmse = rows.nth(1).locator('td[data-feature="mmse"]');
  await expect(mmse).toContainText('25');
  await expect(mmse.getByTestId('provenance')).toHaveText('Form');
  const saved = (await service.timeline(page)).visits[1]!.measures.find((m) => m.feature === 'mmse')!;
  expect(saved.value).toBe(25);
  expect(saved.provenance.source).toBe('form');
  await expect(rows.nth(1).locator('td[data-feature="cdr"] [data-testid="provenance"]')).toHaveText('CSV');
  // The prediction follows the corrected value.
  await expect.poll(async () => page.getByTestId('risk-point').nth(1).getAttribute('data-risk')).not.toBe(String(cli[1]!.risk));
  await page.screenshot({ path: path.join(screenshotDir, 'progression-form-saved.png'), fullPage: true });
  expect(harness.foreignRequests).toEqual([]);
});

test('a library study opens its patient timeline, and measures entered for it give a prediction', async ({ page, harness }) => {
  await page.goto(harness.url);
  await page.getByRole('button', { name: 'Open demo study' }).click();
  const demoRow = page.getByRole('row', { name: /DEMO, Phantom/ });
  await expect(demoRow).toBeVisible({ timeout: 60_000 });
  await demoRow.click();
  await page.getByRole('button', { name: 'Patient timeline' }).click();
  await expect(page.getByRole('heading', { name: 'Patient LUMEN-DEMO-0001' })).toBeVisible();

  // The study is on the timeline with nothing for the model yet.
  const rows = page.getByTestId('visit-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('study-mark')).toHaveCount(1);
  await expect(rows.first().locator('td.studies')).toContainText('CT');
  await expect(page.getByTestId('risk-summary')).toContainText('No visit has every required measure.');

  await rows.first().getByRole('button', { name: /Edit measures/ }).click();
  const form = page.getByRole('form', { name: 'Visit measures form' });
  await expect(form.getByRole('heading')).toContainText('Measures of the study of');
  for (const [label, value] of [['Age', '70'], ['EDUC', '12'], ['MMSE', '28'], ['CDR', '0'], ['eTIV', '1500'], ['nWBV', '0.75'], ['ASF', '1.17']] as const) {
    await form.getByLabel(label).fill(value);
  }
  await form.getByLabel('M/F').selectOption('F');
  await form.getByRole('button', { name: 'Save measures' }).click();
  await expect(form).toHaveCount(0);

  // One visit: the study's, every value from the form; SES (optional) named missing and masked.
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('provenance')).toHaveText(Array(8).fill('Form'));
  await expect(rows.first().locator('td[data-feature="ses"]')).toHaveText('missing');
  await expect(rows.first().locator('td[data-feature="male"]')).toContainText('F');
  const run = await page.evaluate(async () => {
    const r = await (window as unknown as { lumen: LumenBridge }).lumen.progression.predict({ patientId: 'LUMEN-DEMO-0001', modelId: 'oasis-progression', horizonDays: 365 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  expect(run.points).toHaveLength(1);
  await expect(page.getByTestId('risk-point')).toHaveAttribute('data-risk', String(run.points[0]!.risk));
  await expect(page.getByTestId('risk-summary').locator('.risk-value')).toHaveText(pct(run.points[0]!.risk));
  // A single visit takes all the attention.
  await expect(page.getByTestId('attention-bar').locator('text')).toHaveText('100.0 %');
  await page.screenshot({ path: path.join(screenshotDir, 'progression-library-study.png') });

  // Saved as a DICOM SR into the demo study, the prediction travels with it (export, PACS).
  const before = await page.evaluate(async () => {
    const r = await (window as unknown as { lumen: LumenBridge }).lumen.library.listStudies({ patientId: 'LUMEN-DEMO-0001' });
    return r.ok ? r.value.flatMap((st) => st.series.map((x) => x.modality)) : [];
  });
  expect(before).not.toContain('SR');
  await page.getByRole('button', { name: 'Save as DICOM SR' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as a DICOM SR' })).toContainText('(1 visit)');
  const after = await page.evaluate(async () => {
    const r = await (window as unknown as { lumen: LumenBridge }).lumen.library.listStudies({ patientId: 'LUMEN-DEMO-0001' });
    return r.ok ? r.value.flatMap((st) => st.series.map((x) => x.modality)) : [];
  });
  expect(after).toContain('SR');
  expect(harness.foreignRequests).toEqual([]);
});
