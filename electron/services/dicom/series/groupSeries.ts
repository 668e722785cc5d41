import { sliceNormal } from '../../../../shared/domain/geometry/orientation';
import { dot } from '../../../../shared/domain/geometry/vector3';
import type { SliceHeader } from './sliceHeader';

/** Image planes that stack into one volume (or one multi-frame run when they have no geometry). */
export interface SliceGroup {
  seriesInstanceUid: string;
  /** 1-based part number when a series had to be split; null when the series is one group. */
  part: number | null;
  /** Why the series was split, when it was. */
  splitReason: string | null;
  slices: SliceHeader[];
}

const round = (v: number, step: number) => Math.round(v / step) * step;

/**
 * Planes can share a volume only with the same size, orientation and pixel spacing (PS3.3 C.7.6.2 gives no
 * promise that one Series Instance UID holds one such stack: localisers, mixed reconstructions do not).
 */
function stackKey(s: SliceHeader): string {
  const iop = s.imageOrientationPatient ? s.imageOrientationPatient.map((v) => round(v, 1e-3).toFixed(3)).join(',') : 'none';
  const spacing = s.pixelSpacing ? s.pixelSpacing.map((v) => v.toFixed(4)).join(',') : 'none';
  return `${s.rows}x${s.columns}|${iop}|${spacing}|${s.samplesPerPixel}`;
}

/**
 * Several acquisitions in one series that revisit the same positions (dynamic or repeated scans) are
 * separate volumes; acquisitions that tile different positions (sequential CT) stay together.
 */
function splitRepeatedAcquisitions(slices: SliceHeader[]): SliceHeader[][] {
  const normal = slices[0]?.orientation ? sliceNormal(slices[0].orientation) : null;
  if (!normal || slices.some((s) => !s.position)) return [slices];
  const seen = new Set<string>();
  let repeats = false;
  for (const s of slices) {
    const key = dot(s.position!, normal).toFixed(3);
    if (seen.has(key)) repeats = true;
    seen.add(key);
  }
  const acquisitions = new Map<string, SliceHeader[]>();
  for (const s of slices) {
    const key = String(s.acquisitionNumber ?? '');
    acquisitions.set(key, [...(acquisitions.get(key) ?? []), s]);
  }
  return repeats && acquisitions.size > 1 ? [...acquisitions.values()] : [slices];
}

export function groupSeries(slices: readonly SliceHeader[]): SliceGroup[] {
  const bySeries = new Map<string, SliceHeader[]>();
  for (const s of slices) {
    const list = bySeries.get(s.seriesInstanceUid);
    if (list) list.push(s);
    else bySeries.set(s.seriesInstanceUid, [s]);
  }
  const groups: SliceGroup[] = [];
  for (const [uid, members] of bySeries) {
    const stacks = new Map<string, SliceHeader[]>();
    for (const s of members) {
      const key = stackKey(s);
      const stack = stacks.get(key);
      if (stack) stack.push(s);
      else stacks.set(key, [s]);
    }
    const parts: { slices: SliceHeader[]; reason: string | null }[] = [];
    const stackReason = stacks.size > 1 ? 'the series mixes image sizes, orientations or pixel spacings' : null;
    for (const stack of stacks.values()) {
      const split = splitRepeatedAcquisitions(stack);
      for (const p of split) parts.push({ slices: p, reason: split.length > 1 ? 'acquisitions repeat the same slice positions' : stackReason });
    }
    parts.forEach((p, i) =>
      groups.push({ seriesInstanceUid: uid, part: parts.length > 1 ? i + 1 : null, splitReason: parts.length > 1 ? p.reason : null, slices: p.slices }),
    );
  }
  return groups;
}
