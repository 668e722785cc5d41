import { useEffect, useRef } from 'react';
import { call } from '../api/client';
import { useViewerStore } from '../state/viewerStore';
import { engineHandle } from './engineHandle';

/** Measurements are saved with the study as they change, and come back when it is reopened. */
export function useMeasurementPersistence(): void {
  const studyInstanceUid = useViewerStore((s) => s.studyInstanceUid);
  const measurements = useViewerStore((s) => s.measurements);
  const loadedFor = useRef<string | null>(null);

  useEffect(() => {
    loadedFor.current = null;
    if (!studyInstanceUid) return;
    let cancelled = false;
    void call('viewer', 'loadMeasurements', { studyInstanceUid }).then((result) => {
      if (cancelled) return;
      if (result.ok) engineHandle.get()?.setMeasurements(result.value.map((m) => ({ ...m, points: [...m.points] })));
      loadedFor.current = studyInstanceUid;
    });
    return () => {
      cancelled = true;
    };
  }, [studyInstanceUid]);

  // The change not yet saved; saved after a short pause, so a handle drag saves once, not at every
  // pointer move, and at once when the study changes or the viewer closes, so none is lost.
  const unsaved = useRef<{ studyInstanceUid: string; measurements: typeof measurements } | null>(null);
  const save = () => {
    const change = unsaved.current;
    unsaved.current = null;
    if (change) void call('viewer', 'saveMeasurements', change);
  };

  useEffect(() => {
    if (!studyInstanceUid || loadedFor.current !== studyInstanceUid) return;
    unsaved.current = { studyInstanceUid, measurements };
    const timer = setTimeout(save, 400);
    return () => clearTimeout(timer);
  }, [studyInstanceUid, measurements]);

  useEffect(() => save, [studyInstanceUid]);
}
