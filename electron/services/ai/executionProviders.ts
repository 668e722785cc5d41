import type { ProviderName } from './hostProtocol';

/**
 * The order execution providers are tried on each platform: the platform's GPU provider first (CUDA
 * with an NVIDIA GPU on Linux, DirectML on Windows, CoreML on macOS), the CPU always last, so a model
 * always runs somewhere. Forcing the CPU (settings.forceCpuInference or the machine policy) skips the
 * GPU: a hospital may want identical numbers on every workstation.
 *
 * WebGPU (bundled with onnxruntime-node on Linux, over the GPU's Vulkan driver, no CUDA install) is left
 * out on purpose. Measured on an H100 machine through the inference host (e2e/gpu/results): it matched
 * the CPU to 2.4e-6, but a single image took 3.6 ms against 0.6 ms on the CPU, a batch of 16 ran at 3,560
 * against 5,680 images/s, and creating the session took 1.6 s against 0.3 s. Where no Vulkan GPU exists
 * Dawn also writes warnings to stderr. `e2e/gpu/providerCheck.ts webgpu cpu` measures it again.
 */
export function providerOrder(platform: NodeJS.Platform, forceCpu: boolean): ProviderName[] {
  if (forceCpu) return ['cpu'];
  if (platform === 'linux') return ['cuda', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cpu'];
}

export interface ProviderAvailability {
  name: ProviderName;
  /** Shipped with onnxruntime-node for this platform (CUDA needs its libraries installed beside it). */
  bundled: boolean;
}

interface Backend {
  name: string;
  bundled: boolean;
}

/** What onnxruntime-node says it can offer on this machine (before any session tries it). */
export async function availableProviders(): Promise<ProviderAvailability[]> {
  const ort = (await import('onnxruntime-node')) as unknown as { listSupportedBackends?: () => Backend[] };
  const backends = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  const known = new Set<string>(['cuda', 'dml', 'coreml', 'cpu']);
  return backends.filter((b) => known.has(b.name)).map((b) => ({ name: b.name as ProviderName, bundled: b.bundled }));
}
