import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { damageLibraryPages } from '../../electron/services/library/testing/damageLibraryPages';
import { test, expect, repoRoot, screenshotDir } from './fixtures';

const mrFolder = path.resolve(repoRoot, '..', 'shared', 'data', 'mr', 'decubitus');
/** The library the harness opens: filled by the CLI, then damaged, before the harness starts. */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-damaged-library-'));

test.describe('a library whose database has damaged pages', () => {
  test.use({ harnessArgs: ['--data-dir', dataDir] });
  test.beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts'), 'import', '--copy', mrFolder, '--data-dir', dataDir], { cwd: repoRoot, stdio: 'ignore' });
    damageLibraryPages(path.join(dataDir, 'library.db'), ['instances', 'files']);
  });
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /**
   * The reader meets the damage as a study that cannot be opened: the viewport says the index is
   * damaged and how to rebuild it (the image files are not affected), and shows no image.
   */
  test('says so where a study cannot be opened, and names the repair', async ({ page, harness }) => {
    test.setTimeout(180_000);
    await page.goto(harness.url);
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(4, { timeout: 60_000 });
    const vp0 = page.locator('[data-viewport="vp0"]');
    const stack = () => page.evaluate(() => window.__lumenViewer?.describe().vp0 as { seriesInstanceUid?: string | null; shownFrame?: number } | undefined);
    // Open the studies in turn until one cannot be opened; each either shows a new series or says why.
    let damaged = -1;
    let shownUid: string | null | undefined = null;
    for (let i = 0; i < 4 && damaged < 0; i++) {
      await rows.nth(i).click();
      const previous = shownUid;
      const outcome = async () => {
        if ((await vp0.innerText()).includes('Could not open the series')) return 'failed';
        const s = await stack();
        return (s?.shownFrame ?? -1) >= 0 && s?.seriesInstanceUid !== previous ? 'shown' : 'waiting';
      };
      await expect.poll(outcome, { timeout: 60_000 }).not.toBe('waiting');
      if ((await outcome()) === 'failed') damaged = i;
      else shownUid = (await stack())?.seriesInstanceUid;
    }
    expect(damaged).toBeGreaterThanOrEqual(0);
    await expect(vp0).toContainText("Could not open the series: The study library's database is damaged. The image files are not affected: close Lumen and run \"lumen library repair\"");
    expect(await page.evaluate(() => (window.__lumenViewer?.describe().vp0 as { seriesInstanceUid?: string | null }).seriesInstanceUid)).toBeNull();
    await page.screenshot({ path: path.join(screenshotDir, 'library-damaged.png') });
  });
});
