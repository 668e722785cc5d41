import { describe, expect, it } from 'vitest';
import { cameraFor, distanceToLine, edgeMarkers, patientToScreen, planeCutOnScreen, projectionEdgeMarkers, screenFrame, screenToPatient, type PlaneDisplay } from './displayGeometry';
import { middleOutOrder } from '../../../shared/domain/loadOrder';

/** An axial CT slice displayed as acquired (IOP 1\0\0\0\1\0), 400 mm field of view. */
const axial: PlaneDisplay = {
  center: [0, 0, -500],
  right: [1, 0, 0],
  down: [0, 1, 0],
  fitHalfHeightMm: 200,
  zoom: 1,
  panMm: [0, 0],
  rotationDeg: 0,
  flipHorizontal: false,
  flipVertical: false,
};

describe('display geometry', () => {
  it('shows an axial slice in the radiological convention: patient right on screen left, anterior up', () => {
    expect(edgeMarkers(screenFrame(axial, 512, 512))).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('labels a radiograph from Patient Orientation (0020,0020), through rotation and flips', () => {
    // A PA chest film as stored by the CR in ../shared/data/cxr/dicom: rows run to the patient's left, columns to the feet.
    const film: PlaneDisplay = { ...axial, center: [0, 0, 0] };
    expect(projectionEdgeMarkers(screenFrame(film, 512, 512), ['L', 'F'])).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
    expect(projectionEdgeMarkers(screenFrame({ ...film, flipHorizontal: true }, 512, 512), ['L', 'F'])).toEqual({ left: 'L', right: 'R', top: 'H', bottom: 'F' });
    expect(projectionEdgeMarkers(screenFrame({ ...film, rotationDeg: 90 }, 512, 512), ['L', 'F'])).toEqual({ left: 'F', right: 'H', top: 'R', bottom: 'L' });
    // A lateral film: rows towards anterior, columns towards the feet; oblique letters keep their order.
    expect(projectionEdgeMarkers(screenFrame(film, 512, 512), ['A', 'F'])).toMatchObject({ left: 'P', right: 'A' });
    expect(projectionEdgeMarkers(screenFrame(film, 512, 512), ['LA', 'F'])).toMatchObject({ left: 'RP', right: 'LA' });
    expect(projectionEdgeMarkers(screenFrame(film, 512, 512), ['X', 'F'])).toBeNull();
  });

  it('looks at an axial slice from the feet (PS3.3 C.7.6.2.1.1 LPS)', () => {
    const camera = cameraFor(screenFrame(axial, 512, 512));
    // camera below the slice (towards -Z = feet), head-ward view direction
    expect(camera.position[2]).toBeLessThan(-500);
    expect(camera.viewUp).toEqual([-0, -1, -0]);
  });

  it('maps screen to patient and back exactly, with zoom, pan and rotation', () => {
    for (const display of [axial, { ...axial, zoom: 2.5, panMm: [13, -7] as [number, number] }, { ...axial, rotationDeg: 90, flipHorizontal: true }]) {
      const f = screenFrame(display, 640, 480);
      for (const [x, y] of [[0, 0], [320, 240], [639, 17], [5, 470]] as const) {
        const [sx, sy] = patientToScreen(f, screenToPatient(f, x, y));
        expect(sx).toBeCloseTo(x, 9);
        expect(sy).toBeCloseTo(y, 9);
      }
    }
  });

  it('keeps the scale: 400 mm across 400 px at zoom 1, twice as many pixels per mm at zoom 2', () => {
    expect(screenFrame(axial, 400, 400).mmPerPixel).toBeCloseTo(1, 12);
    expect(screenFrame({ ...axial, zoom: 2 }, 400, 400).mmPerPixel).toBeCloseTo(0.5, 12);
  });

  it('rotates clockwise: the top of the image goes to the right', () => {
    expect(edgeMarkers(screenFrame({ ...axial, rotationDeg: 90 }, 512, 512))).toEqual({ left: 'P', right: 'A', top: 'R', bottom: 'L' });
  });

  it('orders loading from the middle slice outwards, covering every slice once', () => {
    expect(middleOutOrder(5)).toEqual([2, 3, 1, 4, 0]);
    const order = middleOutOrder(275);
    expect(order[0]).toBe(137);
    expect(new Set(order).size).toBe(275);
  });
});

describe('linked crosshair lines', () => {
  const coronal: PlaneDisplay = { center: [0, 0, 0], right: [1, 0, 0], down: [0, 0, -1], fitHalfHeightMm: 100, zoom: 1, panMm: [0, 0], rotationDeg: 0, flipHorizontal: false, flipVertical: false };
  const f = screenFrame(coronal, 400, 400);

  it('draws the axial plane horizontal and the sagittal plane vertical on a coronal view, through the crosshair', () => {
    const center: [number, number, number] = [10, 0, -20];
    const axial = planeCutOnScreen(f, center, [0, 0, 1])!;
    expect(Math.abs(axial.direction[0])).toBeCloseTo(1, 12);
    expect(axial.direction[1]).toBeCloseTo(0, 12);
    expect(axial.through).toEqual(patientToScreen(f, center));
    const sagittal = planeCutOnScreen(f, center, [1, 0, 0])!;
    expect(sagittal.direction[0]).toBeCloseTo(0, 12);
    expect(Math.abs(sagittal.direction[1])).toBeCloseTo(1, 12);
    expect(planeCutOnScreen(f, center, [0, 1, 0])).toBeNull();
  });

  it('tilts the line of a plane rotated about the view normal by the same angle, and every point on it lies in both planes', () => {
    const t = (25 * Math.PI) / 180;
    // the sagittal normal turned 25 degrees about the coronal view's normal (anterior-posterior axis)
    const normal: [number, number, number] = [Math.cos(t), 0, Math.sin(t)];
    const center: [number, number, number] = [5, 0, 7];
    const line = planeCutOnScreen(f, center, normal)!;
    const angle = (Math.atan2(line.direction[1], line.direction[0]) * 180) / Math.PI;
    expect(Math.min(Math.abs(angle - 90 + 25), Math.abs(angle + 90 + 25), Math.abs(angle - 90 - 25), Math.abs(angle + 90 - 25))).toBeCloseTo(0, 9);
    for (const s of [-150, -40, 0, 60, 180]) {
      const p = screenToPatient(f, line.through[0] + s * line.direction[0], line.through[1] + s * line.direction[1]);
      const offPlane = (p[0] - center[0]) * normal[0] + (p[1] - center[1]) * normal[1] + (p[2] - center[2]) * normal[2];
      expect(offPlane).toBeCloseTo(0, 9);
      expect(p[1]).toBeCloseTo(0, 9); // on the coronal plane shown
    }
    expect(distanceToLine(line.through[0] + 3 * line.direction[1], line.through[1] - 3 * line.direction[0], line)).toBeCloseTo(3, 12);
  });
});
