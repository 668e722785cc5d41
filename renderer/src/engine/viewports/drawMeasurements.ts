import { patientToScreen, type ScreenFrame } from '../displayGeometry';
import type { Measurement } from '../measurements';

const SVG = 'http://www.w3.org/2000/svg';

function el(name: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Draws measurements (and the one being drawn) as SVG over the viewport. */
export function drawMeasurements(svg: SVGSVGElement, measurements: readonly Measurement[], f: ScreenFrame, drawing: Measurement | null): void {
  svg.replaceChildren();
  for (const m of drawing ? [...measurements, drawing] : measurements) {
    const pts = m.points.map((p) => patientToScreen(f, p));
    const g = el('g', { class: `measurement ${m.kind}`, 'data-id': m.id });
    const stroke = { stroke: '#ffd84d', 'stroke-width': 1.5, fill: 'none' };
    if (m.kind === 'length' || m.kind === 'angle') {
      g.appendChild(el('polyline', { points: pts.map((p) => p.join(',')).join(' '), ...stroke }));
    } else if (m.kind === 'rectangle' || m.kind === 'ellipse') {
      const [a, b] = [pts[0]!, pts[1] ?? pts[0]!];
      const x = Math.min(a[0], b[0]);
      const y = Math.min(a[1], b[1]);
      const w = Math.abs(a[0] - b[0]);
      const h = Math.abs(a[1] - b[1]);
      g.appendChild(m.kind === 'rectangle' ? el('rect', { x, y, width: w, height: h, ...stroke }) : el('ellipse', { cx: x + w / 2, cy: y + h / 2, rx: w / 2, ry: h / 2, ...stroke }));
    }
    for (const [x, y] of pts) g.appendChild(el('circle', { cx: x, cy: y, r: 3, fill: '#ffd84d' }));
    const anchor = pts[pts.length - 1]!;
    const text = el('text', { x: anchor[0] + 8, y: anchor[1] - 8, fill: '#ffd84d', 'font-size': 12 });
    text.textContent = m.label;
    g.appendChild(text);
    svg.appendChild(g);
  }
}
