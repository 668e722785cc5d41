import { describe, expect, it } from 'vitest';
import { cameraFor, edgeMarkers, patientToScreen, projectionEdgeMarkers, screenFrame, screenToPatient, type PlaneDisplay } from './displayGeometry';
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
