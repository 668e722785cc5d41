import type { ToolId } from '../engine/viewports/viewport';
import { CT_WINDOW_PRESETS } from '../engine/presets';

/** Keyboard shortcuts as data: the help overlay lists exactly these. */
export const TOOL_KEYS: readonly { key: string; tool: ToolId; label: string }[] = [
  { key: 'w', tool: 'windowLevel', label: 'Window/level' },
  { key: 'p', tool: 'pan', label: 'Pan' },
  { key: 'z', tool: 'zoom', label: 'Zoom' },
  { key: 's', tool: 'scroll', label: 'Scroll (drag)' },
  { key: 'l', tool: 'length', label: 'Length' },
  { key: 'a', tool: 'angle', label: 'Angle' },
  { key: 'g', tool: 'rectangle', label: 'Rectangle ROI' },
  { key: 'e', tool: 'ellipse', label: 'Ellipse ROI' },
  { key: 'o', tool: 'probe', label: 'Probe' },
  { key: 'x', tool: 'crosshair', label: 'Crosshair (MPR)' },
];

export const COMMAND_KEYS: readonly { key: string; label: string }[] = [
  { key: '↑ ↓ / wheel', label: 'Previous / next image' },
  { key: 'PgUp PgDn', label: '10 images back / forward' },
  { key: 'Home End', label: 'First / last image' },
  ...CT_WINDOW_PRESETS.map((p) => ({ key: p.key, label: `CT window: ${p.label} (W ${p.width} / L ${p.center})` })),
  { key: 'i', label: 'Invert' },
  { key: 'r', label: 'Reset view' },
  { key: 'f', label: 'Fit to viewport' },
  { key: 'h / v', label: 'Flip horizontal / vertical' },
  { key: '[ / ]', label: 'Rotate 90° left / right' },
  { key: 'c', label: 'Cine play / stop' },
  { key: 'Ctrl + wheel', label: 'Zoom' },
  { key: 'Right drag / middle drag', label: 'Zoom / pan' },
  { key: 'Shift + drag (MPR)', label: 'Tilt the reformat plane (oblique)' },
  { key: 'Drag a crosshair line (MPR)', label: "Turn that view's plane about this view's axis (crosshair tool)" },
  { key: '?', label: 'This help' },
];
