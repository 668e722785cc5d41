import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coveredByOsSignature, verifyIntegrity, writeIntegrityManifest } from './integrityManifest';
import { resolveInstallLayout } from './installLayout';

describe('installation manifest', () => {
  it('names every file that was changed, removed or added after packaging', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'lumen-install-'));
    const resources = path.join(root, 'resources');
    await mkdir(path.join(resources, 'models', 'm'), { recursive: true });
    await writeFile(path.join(root, 'lumen'), '#!/bin/sh\n');
    await writeFile(path.join(resources, 'app.asar'), 'archive');
    await writeFile(path.join(resources, 'models', 'm', 'model.onnx'), 'weights');
    const manifest = await writeIntegrityManifest(root, resources, { product: 'Lumen', version: '1.0.0', commit: 'abc', platform: 'linux', arch: 'x64' });
    expect(Object.keys(manifest.files)).toEqual(['lumen', 'resources/app.asar', 'resources/models/m/model.onnx']);
    const file = path.join(resources, 'lumen-integrity.json');
    expect(await verifyIntegrity(file)).toMatchObject({ checked: 3, missing: [], changed: [], unexpected: [] });

    await writeFile(path.join(resources, 'models', 'm', 'model.onnx'), 'weightz');
    await rm(path.join(root, 'lumen'));
    await writeFile(path.join(resources, 'extra.js'), 'added');
    expect(await verifyIntegrity(file)).toMatchObject({ missing: ['lumen'], changed: ['resources/models/m/model.onnx'], unexpected: ['resources/extra.js'] });
  });

  it('leaves files that code signing rewrites to the OS signature on macOS and Windows only', () => {
    expect(coveredByOsSignature('lumen', 'linux')).toBe(false);
    expect(coveredByOsSignature('Lumen.exe', 'win32')).toBe(true);
    expect(coveredByOsSignature('resources/app.asar', 'win32')).toBe(false);
    expect(coveredByOsSignature('Lumen.app/Contents/MacOS/Lumen', 'darwin')).toBe(true);
    expect(coveredByOsSignature('Lumen.app/Contents/Resources/app.asar', 'darwin')).toBe(false);
  });

  it('tells an installed copy from a checkout by where the code runs', () => {
    const installed = resolveInstallLayout('/usr/lib/lumen/resources/app.asar/out/main');
    expect(installed).toMatchObject({
      kind: 'packaged',
      modelsDir: '/usr/lib/lumen/resources/models',
      integrityManifest: '/usr/lib/lumen/resources/lumen-integrity.json',
      noticesFile: '/usr/lib/lumen/resources/licenses/THIRD_PARTY_NOTICES.txt',
    });
    const checkout = resolveInstallLayout();
    expect(checkout.kind).toBe('checkout');
    expect(checkout.integrityManifest).toBeNull();
    expect(checkout.modelsDir).toBe(path.resolve('models'));
  });
});
