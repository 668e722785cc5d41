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

  useEffect(() => {
    if (!studyInstanceUid || loadedFor.current !== studyInstanceUid) return;
    // a short pause so a handle drag saves once, not at every pointer move
    const timer = setTimeout(() => void call('viewer', 'saveMeasurements', { studyInstanceUid, measurements }), 400);
    return () => clearTimeout(timer);
  }, [studyInstanceUid, measurements]);
}
