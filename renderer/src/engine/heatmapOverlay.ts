import { add, scale } from '../../../shared/domain/geometry/vector3';
import type { Heatmap } from '../../../shared/domain/aiResult';
import { patientToScreen, type ScreenFrame } from './displayGeometry';
import type { FramePlane } from './viewports/planeGeometry';

const SVG = 'http://www.w3.org/2000/svg';

/** Evidence for the positive label in red-yellow, transparent where there is none (values <= 0). */
function paint(heatmap: Heatmap): string {
  const canvas = document.createElement('canvas');
  canvas.width = heatmap.columns;
  canvas.height = heatmap.rows;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(heatmap.columns, heatmap.rows);
  // Scaled by max |d| of the image, as the model card says.
  const peak = Math.max(1e-9, ...heatmap.values.map(Math.abs));
  heatmap.values.forEach((v, i) => {
    const t = Math.max(0, v) / peak;
    image.data.set([255, Math.round(255 * t), 0, Math.round(255 * t)], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL();
}

/**
 * Draws a model's activation map over the frame it was computed on, in the overlay's SVG layer. The map
 * spans the whole frame, so its corners are the frame's outer pixel edges in patient space, taken to the
 * screen with patientToScreen: pan, zoom, rotation and flips follow without any other code. The browser
 * upsamples the small grid bilinearly (image-rendering auto), as the model card asks.
 */
export function drawHeatmap(svg: SVGSVGElement, f: ScreenFrame, plane: FramePlane, size: { rows: number; columns: number }, heatmap: Heatmap | null, opacity: number): void {
  svg.querySelector(':scope > image.vp-heatmap')?.remove();
  if (!heatmap || opacity <= 0) return;
  const dx = scale(plane.row, plane.columnSpacing);
  const dy = scale(plane.column, plane.rowSpacing);
  const corner = add(plane.origin, scale(add(dx, dy), -0.5));
  const [x0, y0] = patientToScreen(f, corner);
  const [x1, y1] = patientToScreen(f, add(corner, scale(dx, size.columns)));
  const [x2, y2] = patientToScreen(f, add(corner, scale(dy, size.rows)));
  const image = document.createElementNS(SVG, 'image');
  image.setAttribute('class', 'vp-heatmap');
  image.setAttribute('href', paint(heatmap));
  image.setAttribute('width', '1');
  image.setAttribute('height', '1');
  image.setAttribute('preserveAspectRatio', 'none');
  image.setAttribute('opacity', String(Math.min(1, opacity)));
  // The unit square to the frame's parallelogram on screen.
  image.setAttribute('transform', `matrix(${x1 - x0} ${y1 - y0} ${x2 - x0} ${y2 - y0} ${x0} ${y0})`);
  image.style.pointerEvents = 'none';
  svg.insertBefore(image, svg.firstChild);
}
