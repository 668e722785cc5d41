// Frame planes are shared with the back end (DICOM SR export maps measurements with the same math).
export { calibrationNoteOf, framePlane, frameCenter, measurementPlane, patientToIndex, pointsOnPlane, indexToPatient, type FramePlane } from '../../../../shared/domain/geometry/framePlane';
