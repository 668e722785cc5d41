import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

/**
 * The dependency arrows are enforced by lint; these cases prove the rules bite, by linting source text
 * as if it lived at the given path (nothing is written to the tree).
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('dependency arrows', () => {
  it('refuses a renderer file importing electron/', async () => {
    const found = await violations(
      'renderer/src/library/Bad.tsx',
      "import { createServices } from '../../../electron/services/createServices';\nexport const x = createServices;\n",
    );
    expect(found.some((m) => m.startsWith('no-restricted-imports') && m.includes('renderer/src/api'))).toBe(true);
  });

  it('refuses Node modules and Node globals in the renderer', async () => {
    expect(await violations('renderer/src/viewer/Bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).not.toEqual([]);
    expect(await violations('renderer/src/viewer/Bad.ts', 'export const x = process.env;\n')).not.toEqual([]);
  });

  it('lets only renderer/src/api read window.lumen', async () => {
    expect(await violations('renderer/src/library/Bad.ts', 'export const x = window.lumen;\n')).not.toEqual([]);
    expect(await violations('renderer/src/api/client2.ts', 'export const x = window.lumen;\n')).toEqual([]);
  });

  it('refuses shared importing anything but zod and itself', async () => {
    expect(await violations('shared/domain/Bad.ts', "import { z } from 'zod';\nimport './other';\nexport const x = z;\n")).toEqual([]);
    expect(await violations('shared/domain/Bad.ts', "import React from 'react';\nexport const x = React;\n")).not.toEqual([]);
    expect(await violations('shared/domain/Bad.ts', "import path from 'node:path';\nexport const x = path;\n")).not.toEqual([]);
    expect(await violations('shared/domain/Bad.ts', "import { x as y } from '../../electron/services/version';\nexport const x = y;\n")).not.toEqual([]);
  });

  it('refuses services importing electron', async () => {
    expect(await violations('electron/services/library/Bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).not.toEqual([]);
  });

  it('accepts the allowed arrows', async () => {
    expect(await violations('electron/main/Good.ts', "import { createServices } from '../services/createServices';\nexport const x = createServices;\n")).toEqual([]);
    expect(await violations('renderer/src/library/Good.ts', "import { contract } from '../../../shared/ipc/contract';\nexport const x = contract;\n")).toEqual([]);
  });
});
