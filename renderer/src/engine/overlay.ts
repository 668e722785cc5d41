/**
 * The text and vector layer over a viewport: corner annotations, orientation markers, a scale bar and
 * an SVG for measurements and crosshairs. Updated imperatively by the engine so scrolling and camera
 * moves never re-render React.
 */
export class ViewportOverlay {
  readonly root: HTMLDivElement;
  readonly svg: SVGSVGElement;
  private readonly corners: Record<'tl' | 'tr' | 'bl' | 'br', HTMLDivElement>;
  private readonly markers: Record<'left' | 'right' | 'top' | 'bottom', HTMLDivElement>;
  private readonly scaleBar: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly warning: HTMLDivElement;

  constructor(host: HTMLElement) {
    this.root = document.createElement('div');
    this.root.className = 'vp-overlay';
    const make = (className: string, parent: HTMLElement = this.root) => {
      const el = document.createElement('div');
      el.className = className;
      parent.appendChild(el);
      return el;
    };
    this.corners = { tl: make('vp-corner tl'), tr: make('vp-corner tr'), bl: make('vp-corner bl'), br: make('vp-corner br') };
    this.markers = { left: make('vp-marker left'), right: make('vp-marker right'), top: make('vp-marker top'), bottom: make('vp-marker bottom') };
    this.scaleBar = make('vp-scalebar');
    const middle = make('vp-middle');
    this.warning = make('vp-warning', middle);
    this.status = make('vp-status', middle);
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('class', 'vp-svg');
    this.root.appendChild(this.svg);
    host.appendChild(this.root);
  }

  setCorner(corner: 'tl' | 'tr' | 'bl' | 'br', lines: string[]): void {
    const text = lines.join('\n');
    if (this.corners[corner].textContent !== text) this.corners[corner].textContent = text;
  }

  setMarkers(markers: { left: string; right: string; top: string; bottom: string } | null): void {
    for (const edge of ['left', 'right', 'top', 'bottom'] as const) {
      const text = markers?.[edge] ?? '';
      this.markers[edge].textContent = text;
      this.markers[edge].dataset.label = text;
    }
  }

  /** A bar of a round length in mm, about a fifth of the viewport wide. */
  setScale(mmPerPixel: number | null, viewportWidth: number): void {
    if (!mmPerPixel || !Number.isFinite(mmPerPixel)) {
      this.scaleBar.style.display = 'none';
      return;
    }
    const target = (viewportWidth / 5) * mmPerPixel;
    const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500];
    const mm = steps.reduce((best, s) => (Math.abs(s - target) < Math.abs(best - target) ? s : best), steps[0]!);
    this.scaleBar.style.display = 'block';
    this.scaleBar.style.width = `${mm / mmPerPixel}px`;
    this.scaleBar.textContent = mm >= 10 ? `${mm / 10} cm` : `${mm} mm`;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
    this.status.style.display = text ? 'block' : 'none';
  }

  /** Geometry warnings a reader must see on the image (gantry tilt, missing or uneven slices). */
  setWarnings(lines: readonly string[]): void {
    const text = lines.join('\n');
    if (this.warning.textContent !== text) this.warning.textContent = text;
    this.warning.style.display = text ? 'block' : 'none';
  }

  dispose(): void {
    this.root.remove();
  }
}
