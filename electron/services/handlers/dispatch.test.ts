import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../createServices';
import { createDispatch, createHandlers } from './index';
import { hostForTests } from './hostForTests';
import { LumenError } from '../../../shared/domain/errors';
import type { Handlers } from './dispatch';

async function setup() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-dispatch-'));
  const services = await createServices({ dataDir });
  const handlers = createHandlers(services, hostForTests);
  return { services, handlers, dispatch: createDispatch(handlers) };
}

describe('dispatch', () => {
  it('answers a valid call with { ok: true, value } that matches the response schema', async () => {
    const { dispatch, services } = await setup();
    const result = await dispatch('app.getInfo', {});
    expect(result).toMatchObject({ ok: true, value: { host: 'harness', researchUseOnly: true, dataDirectory: services.dataDir } });
  });

  it('refuses an invalid payload with IPC_INVALID_REQUEST before the handler runs', async () => {
    const { handlers } = await setup();
    let ran = false;
    const spied: Handlers = { ...handlers, settings: { ...handlers.settings, update: async (c) => ((ran = true), handlers.settings.update(c)) } };
    const dispatch = createDispatch(spied);
    const result = await dispatch('settings.update', { localPort: 'not a port' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('IPC_INVALID_REQUEST');
      expect(result.error.message).toContain('localPort');
    }
    expect(ran).toBe(false);
    // and the back end keeps working
    expect((await dispatch('settings.get', {})).ok).toBe(true);
  });

  it('refuses unknown channels, including prototype names', async () => {
    const { dispatch } = await setup();
    for (const channel of ['nope.nothing', 'library.constructor', '__proto__.toString']) {
      const result = await dispatch(channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } });
    }
  });

  it('turns a LumenError into its code and any other failure into INTERNAL_ERROR without leaking detail', async () => {
    const { handlers } = await setup();
    const failing: Handlers = {
      ...handlers,
      library: {
        ...handlers.library,
        listStudies: async () => {
          throw new LumenError('LIBRARY_UNAVAILABLE', 'The library is busy.');
        },
        createDemoStudy: async () => {
          throw new Error('secret stack detail /home/patient-name');
        },
      },
    };
    const dispatch = createDispatch(failing);
    expect(await dispatch('library.listStudies', {})).toEqual({ ok: false, error: { code: 'LIBRARY_UNAVAILABLE', message: 'The library is busy.' } });
    const internal = await dispatch('library.createDemoStudy', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(internal)).not.toContain('patient-name');
  });

  it('refuses a handler response that breaks the contract', async () => {
    const { handlers } = await setup();
    const broken = { ...handlers, settings: { ...handlers.settings, get: async () => ({ importMode: 'teleport' }) } } as unknown as Handlers;
    expect(await createDispatch(broken)('settings.get', {})).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_RESPONSE' } });
  });

  it('persists settings across service restarts', async () => {
    const { dispatch, services } = await setup();
    await dispatch('settings.update', { localAeTitle: 'READING1', localPort: 11113 });
    await services.dispose(); // one process owns a library at a time (LIBRARY_IN_USE otherwise)
    const again = createDispatch(createHandlers(await createServices({ dataDir: services.dataDir }), hostForTests));
    expect(await again('settings.get', {})).toMatchObject({ ok: true, value: { localAeTitle: 'READING1', localPort: 11113 } });
  });
});
