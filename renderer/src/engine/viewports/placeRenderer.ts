/**
 * Places a viewport's vtk renderer over its DOM element inside the engine's shared render window
 * (normalised coordinates, origin bottom-left as vtk counts). Returns the element's size in CSS pixels.
 */
export function placeRenderer(
  renderer: { setViewport(xmin: number, ymin: number, xmax: number, ymax: number): boolean },
  element: HTMLElement,
  container: DOMRect,
): { width: number; height: number } {
  const r = element.getBoundingClientRect();
  renderer.setViewport(
    (r.left - container.left) / container.width,
    1 - (r.bottom - container.top) / container.height,
    (r.right - container.left) / container.width,
    1 - (r.top - container.top) / container.height,
  );
  return { width: Math.max(1, Math.round(r.width)), height: Math.max(1, Math.round(r.height)) };
}
