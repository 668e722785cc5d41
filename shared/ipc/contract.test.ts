import { describe, expect, it } from 'vitest';
import { channelNames, contract, lookupMethod, SettingsSchema } from './contract';
import { envelopeSchema, fail, ok } from './envelope';
import { buildBridge } from './bridge';
import { z } from 'zod';

describe('envelope', () => {
  it('carries a value or a typed error, and its schema accepts exactly those shapes', () => {
    const schema = envelopeSchema(z.number());
    expect(schema.parse(ok(3))).toEqual({ ok: true, value: 3 });
    expect(schema.parse(fail('LIBRARY_NOT_FOUND', 'No such study.'))).toEqual({
      ok: false,
      error: { code: 'LIBRARY_NOT_FOUND', message: 'No such study.' },
    });
    expect(schema.safeParse({ ok: true, value: 'three' }).success).toBe(false);
    expect(schema.safeParse({ ok: false, error: { code: 'lowercase', message: 'x' } }).success).toBe(false);
    expect(schema.safeParse({ ok: false, error: 'a thrown string' }).success).toBe(false);
  });
});

describe('contract', () => {
  it('names every channel domain.method, once', () => {
    const names = channelNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(names).toContain('library.importPaths');
  });

  it('finds methods only by exact channel, never through the prototype', () => {
    expect(lookupMethod('library.listStudies')).toBe(contract.library.listStudies);
    for (const bad of ['library', 'library.', 'library.toString', '__proto__.x', 'constructor.name', 'library.listStudies.x', '']) {
      expect(lookupMethod(bad)).toBeUndefined();
    }
  });

  it('validates requests: unknown keys, wrong types and out-of-range values are refused', () => {
    const importRequest = contract.library.importPaths.request;
    expect(importRequest.safeParse({ paths: ['/data/study'] }).success).toBe(true);
    expect(importRequest.safeParse({ paths: [] }).success).toBe(false);
    expect(importRequest.safeParse({ paths: '/data' }).success).toBe(false);
    expect(importRequest.safeParse({ paths: ['/a'], extra: 1 }).success).toBe(false);
    expect(contract.app.getInfo.request.safeParse({ sneaky: true }).success).toBe(false);
    const update = contract.settings.update.request;
    expect(update.safeParse({ localPort: 104 }).success).toBe(true);
    expect(update.safeParse({ localPort: 70000 }).success).toBe(false);
    expect(update.safeParse({ localAeTitle: 'A_TITLE_LONGER_THAN_16' }).success).toBe(false);
  });

  it('validates PACS nodes in settings', () => {
    const node = { id: 'pacs1', name: 'Main PACS', aeTitle: 'ORTHANC', host: '10.0.0.5', port: 4242 };
    const base = { importMode: 'reference', localAeTitle: 'LUMEN', localPort: 11112, forceCpuInference: false };
    expect(SettingsSchema.safeParse({ ...base, pacsNodes: [node] }).success).toBe(true);
    expect(SettingsSchema.safeParse({ ...base, pacsNodes: [{ ...node, port: 0 }] }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...base, pacsNodes: [{ ...node, aeTitle: '' }] }).success).toBe(false);
  });
});

describe('bridge', () => {
  it('exposes exactly one function per contract method, plus on(), and is frozen', () => {
    const calls: string[] = [];
    const bridge = buildBridge({
      invoke: async (channel) => {
        calls.push(channel);
        return ok(null);
      },
      subscribe: () => () => {},
    }) as unknown as Record<string, Record<string, unknown>>;
    const exposed = Object.entries(bridge).flatMap(([domain, group]) =>
      typeof group === 'function' ? [domain] : Object.keys(group).map((m) => `${domain}.${m}`),
    );
    expect(exposed.sort()).toEqual([...channelNames(), 'on'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.library)).toBe(true);
    void (bridge.library!.listStudies as (r: unknown) => Promise<unknown>)({});
    expect(calls).toEqual(['library.listStudies']);
  });
});
