/**
 * Colours of the linked crosshair lines, one per view of a series, so a line on a reformat says which
 * view's plane it is (the acquired stack is drawn like an axial reformat: it is one, for CT).
 */
export const PLANE_COLORS = { stack: '#f4c542', axial: '#f4c542', coronal: '#5fd35f', sagittal: '#3fa7ff' } as const;
