import { describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { dataRoot } from '../../services/dicom/testSupport';
import { makeTinyModel } from '../../services/ai/testing/tinyModel';
import { analyzeCommand } from './analyze';
import { modelsCommand } from './models';

async function runCli(command: typeof analyzeCommand, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, lines: out.map((l) => JSON.parse(l) as Record<string, unknown>), err };
}

describe('lumen analyze and lumen models', () => {
  const tiny = makeTinyModel();
  const ct = path.join(dataRoot, 'ct/chest-275', readdirSync(path.join(dataRoot, 'ct/chest-275')).sort()[0]!);
  const cr = path.join(dataRoot, 'cxr/dicom/CR-MONO1-10-chest.dcm');
  const jpg = path.join(dataRoot, 'cxr/kermany_pneumonia_224/images/PNEUMONIA/person1_bacteria_1.jpg');

  it('prints one JSON line per image, an error line for a CT slice, and goes on', async () => {
    const { code, lines } = await runCli(analyzeCommand, ['--model', tiny.id, '--models-dir', tiny.modelsDir, cr, ct, jpg]);
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0]!)).toEqual(['path', 'model', 'version', 'provider', 'probabilities', 'prediction', 'threshold', 'ood', 'ms']);
    expect(lines[1]).toMatchObject({ path: ct, error: { code: 'MODEL_NOT_APPLICABLE' } });
    expect(lines[2]).toMatchObject({ path: jpg, model: tiny.id, provider: 'cpu' });
  });

  it('lists models with verified checksums and exits 1 when one is broken', async () => {
    expect((await runCli(modelsCommand, ['--models-dir', tiny.modelsDir])).code).toBe(0);
    appendFileSync(path.join(tiny.dir, 'model.onnx'), 'x');
    const broken = await runCli(modelsCommand, ['--models-dir', tiny.modelsDir]);
    expect(broken.code).toBe(1);
    expect(broken.lines[0]).toMatchObject({ id: tiny.id, ok: false, problems: [expect.stringContaining('model.onnx does not match')] });
    expect((await runCli(analyzeCommand, ['--model', tiny.id, '--models-dir', tiny.modelsDir, jpg])).code).toBe(3);
  });
});
