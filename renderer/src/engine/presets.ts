/**
 * Window/level presets and hanging protocols as data (OHIF-style), not branches in components.
 * CT windows are the common textbook values (centre/width in HU).
 */
export interface WindowPreset {
  id: string;
  label: string;
  center: number;
  width: number;
  /** Keyboard shortcut (digit). */
  key: string;
}

export const CT_WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: 'lung', label: 'Lung', center: -600, width: 1500, key: '1' },
  { id: 'mediastinum', label: 'Mediastinum', center: 50, width: 350, key: '2' },
  { id: 'bone', label: 'Bone', center: 400, width: 1800, key: '3' },
  { id: 'brain', label: 'Brain', center: 40, width: 80, key: '4' },
  { id: 'abdomen', label: 'Abdomen', center: 50, width: 400, key: '5' },
];

export type LayoutId = '1x1' | '1x2' | '2x2' | 'mpr';

export type ViewportSpec =
  | { kind: 'stack' }
  | { kind: 'mpr'; plane: 'axial' | 'coronal' | 'sagittal' }
  | { kind: '3d' };

export interface HangingProtocol {
  id: string;
  /** Modalities it applies to; the first protocol that matches is used. */
  modalities: readonly string[];
  layout: LayoutId;
}

export const HANGING_PROTOCOLS: readonly HangingProtocol[] = [
  { id: 'ct-mpr', modalities: ['CT'], layout: 'mpr' },
  { id: 'mr-mpr', modalities: ['MR', 'PT', 'NM'], layout: '1x1' },
  { id: 'projection', modalities: ['CR', 'DX', 'MG', 'XA', 'RF', 'US', 'OT', 'SC'], layout: '1x1' },
];

export const LAYOUTS: Record<LayoutId, { columns: number; rows: number; viewports: readonly ViewportSpec[] }> = {
  '1x1': { columns: 1, rows: 1, viewports: [{ kind: 'stack' }] },
  '1x2': { columns: 2, rows: 1, viewports: [{ kind: 'stack' }, { kind: 'stack' }] },
  '2x2': { columns: 2, rows: 2, viewports: [{ kind: 'stack' }, { kind: 'stack' }, { kind: 'stack' }, { kind: 'stack' }] },
  // CT opens as its axial stack plus the reformats and 3D.
  mpr: {
    columns: 2,
    rows: 2,
    viewports: [{ kind: 'stack' }, { kind: 'mpr', plane: 'coronal' }, { kind: 'mpr', plane: 'sagittal' }, { kind: '3d' }],
  },
};

export function protocolFor(modality: string, isVolume: boolean): HangingProtocol {
  const match = HANGING_PROTOCOLS.find((p) => p.modalities.includes(modality));
  if (match && (match.layout !== 'mpr' || isVolume)) return match;
  return { id: 'default', modalities: [], layout: '1x1' };
}

/** 3D presets: colour and opacity transfer functions over modality values (HU for CT). */
export interface VolumePreset {
  id: string;
  label: string;
  /** [value, r, g, b] */
  colors: readonly (readonly [number, number, number, number])[];
  /** [value, opacity] */
  opacity: readonly (readonly [number, number])[];
  mip?: boolean;
}

export const VOLUME_PRESETS: readonly VolumePreset[] = [
  {
    id: 'ct-bone',
    label: 'CT bone',
    colors: [[-1000, 0, 0, 0], [150, 0.55, 0.25, 0.15], [300, 0.9, 0.82, 0.66], [1500, 1, 1, 0.95]],
    opacity: [[-1000, 0], [150, 0], [300, 0.35], [1500, 0.85]],
  },
  {
    id: 'ct-soft-tissue',
    label: 'CT soft tissue',
    colors: [[-1000, 0, 0, 0], [-150, 0.55, 0.3, 0.2], [40, 0.85, 0.45, 0.35], [300, 1, 0.95, 0.85]],
    opacity: [[-1000, 0], [-200, 0], [0, 0.15], [100, 0.35], [300, 0.6]],
  },
  {
    id: 'ct-lung',
    label: 'CT lung',
    colors: [[-1000, 0, 0, 0], [-900, 0.3, 0.5, 0.8], [-500, 0.8, 0.85, 0.95], [0, 1, 0.8, 0.7]],
    opacity: [[-1000, 0], [-950, 0], [-800, 0.08], [-500, 0.12], [-300, 0]],
  },
  { id: 'mip', label: 'MIP', colors: [[-1000, 0, 0, 0], [1000, 1, 1, 1]], opacity: [[-1000, 0], [1000, 1]], mip: true },
];
