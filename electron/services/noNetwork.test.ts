import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import dns from 'node:dns';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServices } from './createServices';
import { createDispatch, createHandlers } from './handlers/index';
import { hostForTests } from './handlers/hostForTests';

/**
 * Lumen makes no network connection of its own: starting the back end, generating and importing the
 * demo study, searching and changing settings must not open a socket or resolve a name. (Connections
 * to PACS nodes the user configured are the only exception; no node is configured here.)
 */
describe('no network connection unless the user configured a PACS node', () => {
  const attempts: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  beforeEach(() => {
    attempts.length = 0;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      attempts.push(`connect ${JSON.stringify(args[0])}`);
      return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
    (dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
      attempts.push(`lookup ${String(args[0])}`);
      return (originalLookup as (...a: unknown[]) => unknown)(...args);
    };
  });
  afterEach(() => {
    net.Socket.prototype.connect = originalConnect;
    (dns as { lookup: unknown }).lookup = originalLookup;
  });

  it('starts, imports the demo study, searches and saves settings without touching the network', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lumen-offline-'));
    const services = await createServices({ dataDir });
    const dispatch = createDispatch(createHandlers(services, hostForTests));
    expect(await dispatch('app.getInfo', {})).toMatchObject({ ok: true });
    const demo = await dispatch('library.createDemoStudy', {});
    expect(demo).toMatchObject({ ok: true });
    expect(await dispatch('library.listStudies', { text: 'demo' })).toMatchObject({ ok: true });
    expect(await dispatch('settings.update', { localAeTitle: 'OFFLINE' })).toMatchObject({ ok: true });
    expect(attempts).toEqual([]);
  });
});
