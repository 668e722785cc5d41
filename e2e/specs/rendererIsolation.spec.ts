import { test, expect } from './fixtures';
import { channelNames } from '../../shared/ipc/contract';

test('the renderer has no require, process or other Node globals', async ({ page, harness }) => {
  await page.goto(harness.url);
  await expect(page.getByText('Lumen', { exact: true })).toBeVisible();
  const globals = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
      exports: typeof w.exports,
      Buffer: typeof w.Buffer,
      global: typeof w.global,
      __dirname: typeof w.__dirname,
      setImmediate: typeof w.setImmediate,
    };
  });
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    exports: 'undefined',
    Buffer: 'undefined',
    global: 'undefined',
    __dirname: 'undefined',
    setImmediate: 'undefined',
  });
});

test('window.lumen has exactly the preload shape: one function per contract method, plus on()', async ({ page, harness }) => {
  await page.goto(harness.url);
  const shape = await page.evaluate(() => {
    const lumen = (window as unknown as { lumen: Record<string, unknown> }).lumen;
    return {
      frozen: Object.isFrozen(lumen),
      keys: Object.entries(lumen).flatMap(([k, v]) =>
        typeof v === 'function' ? [k] : Object.entries(v as Record<string, unknown>).map(([m, f]) => `${k}.${m}:${typeof f}`),
      ),
    };
  });
  expect(shape.frozen).toBe(true);
  expect(shape.keys.sort()).toEqual([...channelNames().map((c) => `${c}:function`), 'on'].sort());
});

test('a contract call with an invalid payload returns a validation error and the app keeps working', async ({ page, harness }) => {
  await page.goto(harness.url);
  const result = await page.evaluate(async () => {
    const lumen = (window as unknown as { lumen: { settings: { update(r: unknown): Promise<unknown>; get(r: unknown): Promise<unknown> } } }).lumen;
    const bad = await lumen.settings.update({ localPort: 'eleven' });
    const after = await lumen.settings.get({});
    return { bad, after };
  });
  expect(result.bad).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
  expect(result.after).toMatchObject({ ok: true, value: { localPort: 11112 } });
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Listening port')).toHaveValue('11112');
});

test('the CSP blocks inline scripts and remote connections; the control channel refuses a missing token', async ({ page, harness }) => {
  await page.goto(harness.url);
  const outcome = await page.evaluate(async (url) => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.head.appendChild(inline);
    let remote = 'allowed';
    try {
      await fetch('https://example.com/telemetry');
    } catch {
      remote = 'blocked';
    }
    const tokenless = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/ipc?token=wrong`);
      ws.onopen = () => resolve('opened');
      ws.onerror = () => resolve('refused');
    });
    return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, remote, tokenless };
  }, harness.url);
  expect(outcome).toEqual({ inlineRan: false, remote: 'blocked', tokenless: 'refused' });
});
