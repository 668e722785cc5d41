import { modelFiles, verifyModelFiles } from '../ai/modelRegistry';
import { listModelFolders } from '../install/installedModels';
import { check, type DoctorCheck } from './doctorCheck';

/** Every installed model's files against the sha256 in its manifest (model.onnx and, if any, the OOD guard). */
export async function modelsCheck(modelsDir: string, enabledModels: string[] | null): Promise<DoctorCheck> {
  const title = 'Models';
  const folders = await listModelFolders(modelsDir);
  const problems: string[] = [];
  const models: Record<string, unknown>[] = [];
  for (const folder of folders) {
    if (!folder.ok) {
      problems.push(`${folder.id}: ${folder.problem}`);
      continue;
    }
    const { manifest } = folder;
    problems.push(...(await verifyModelFiles(modelFiles(folder.dir, manifest))).map((p) => `${folder.id}: ${p}`));
    models.push({ id: manifest.id, version: manifest.version, sha256: manifest.sha256, enabled: enabledModels === null || enabledModels.includes(manifest.id) });
  }
  const installed = new Set(models.map((m) => m.id));
  const unknownEnabled = (enabledModels ?? []).filter((id) => !installed.has(id));
  const data = { modelsDir, models, problems, enabledByPolicy: enabledModels };
  if (problems.length) return check('models', title, 'fail', problems.join('; '), data);
  if (folders.length === 0) return check('models', title, 'warn', `No models are installed in ${modelsDir}.`, data);
  const list = models.map((m) => `${m.id} ${m.version}${m.enabled ? '' : ' (disabled by policy)'}`).join(', ');
  if (unknownEnabled.length) return check('models', title, 'warn', `${list}; the policy enables models that are not installed: ${unknownEnabled.join(', ')}`, data);
  return check('models', title, 'ok', `${list}: checksums match their manifests.`, data);
}

interface Backend {
  name: string;
  bundled: boolean;
}

/** Which onnxruntime execution providers this machine offers, and which one Lumen will use. */
export async function executionProvidersCheck(forceCpu: boolean): Promise<DoctorCheck> {
  const title = 'Execution providers';
  const ort = (await import('onnxruntime-node')) as unknown as { listSupportedBackends?: () => Backend[] };
  const backends = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  const bundled = backends.filter((b) => b.bundled).map((b) => b.name);
  const installable = backends.filter((b) => !b.bundled).map((b) => b.name);
  const choice = forceCpu
    ? 'the CPU is forced by settings or policy'
    : 'GPU providers may be used where they load; the CPU is the fallback';
  const detail = `bundled: ${bundled.join(', ')}${installable.length ? `; usable once their runtime libraries are installed: ${installable.join(', ')}` : ''}; ${choice}`;
  return check('execution-providers', title, 'ok', detail, { backends, forceCpu });
}
