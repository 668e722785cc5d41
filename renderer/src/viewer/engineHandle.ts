import type { RenderingEngine } from '../engine/renderingEngine';

/** The one engine of the viewer area, for toolbar commands; set by ViewportGrid while it is mounted. */
let current: RenderingEngine | null = null;

export const engineHandle = {
  get: (): RenderingEngine | null => current,
  set: (engine: RenderingEngine | null): void => {
    current = engine;
  },
};
