import { useEffect } from 'react';
import { CT_WINDOW_PRESETS } from '../engine/presets';
import { StackViewport } from '../engine/viewports/stackViewport';
import { useViewerStore } from '../state/viewerStore';
import { engineHandle } from './engineHandle';
import { TOOL_KEYS } from './shortcuts';

/** Global viewer shortcuts; text fields keep their keys. */
export function useViewerKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea') || event.ctrlKey || event.metaKey || event.altKey) return;
      const engine = engineHandle.get();
      if (!engine) return;
      const store = useViewerStore.getState();
      const vp = engine.viewport();
      const stack = vp instanceof StackViewport ? vp : null;
      if (vp?.onKey(event)) {
        event.preventDefault();
        return;
      }
      const tool = TOOL_KEYS.find((t) => t.key === event.key);
      const preset = CT_WINDOW_PRESETS.find((p) => p.key === event.key);
      if (tool) store.setTool(tool.tool);
      else if (preset) engine.setWindow(preset.center, preset.width);
      else if (event.key === '?') store.toggleHelp();
      else if (event.key === 'Escape' && store.helpOpen) store.toggleHelp();
      else if (!stack) return;
      else if (event.key === 'i') stack.toggleInvert();
      else if (event.key === 'r') stack.reset();
      else if (event.key === 'f') stack.fit();
      else if (event.key === 'h') stack.flip('horizontal');
      else if (event.key === 'v') stack.flip('vertical');
      else if (event.key === ']') stack.rotate(90);
      else if (event.key === '[') stack.rotate(-90);
      else if (event.key === 'c') {
        if (stack.cineRunning) stack.stopCine();
        else stack.startCine(store.cineFps);
      }
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
