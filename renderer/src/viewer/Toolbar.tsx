import { useRef } from 'react';
import { CT_WINDOW_PRESETS, VOLUME_PRESETS, type LayoutId } from '../engine/presets';
import { StackViewport } from '../engine/viewports/stackViewport';
import { useViewerStore } from '../state/viewerStore';
import { engineHandle } from './engineHandle';
import { TOOL_KEYS } from './shortcuts';

const LAYOUT_LABELS: Record<LayoutId, string> = { '1x1': '1×1', '1x2': '1×2', '2x2': '2×2', mpr: 'MPR' };

function activeStack(): StackViewport | null {
  const vp = engineHandle.get()?.viewport();
  return vp instanceof StackViewport ? vp : null;
}

export function Toolbar() {
  const { layout, setLayout, tool, setTool, assignments, cineFps, setCineFps, slab, setSlab, toggleHelp } = useViewerStore();
  const engine = engineHandle.get;
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
      <div className="group" aria-label="Layout">
        {(Object.keys(LAYOUT_LABELS) as LayoutId[]).map((id) => (
          <button key={id} type="button" aria-pressed={layout === id} onClick={() => setLayout(id, assignments[0] ?? null)}>
            {LAYOUT_LABELS[id]}
          </button>
        ))}
      </div>
      <div className="group" aria-label="Tools">
        {TOOL_KEYS.map((t) => (
          <button key={t.tool} type="button" aria-pressed={tool === t.tool} title={`${t.label} (${t.key})`} onClick={() => setTool(t.tool)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="group" aria-label="Window presets">
        {CT_WINDOW_PRESETS.map((p) => (
          <button key={p.id} type="button" title={`W ${p.width} / L ${p.center} (${p.key})`} onClick={() => engine()?.setWindow(p.center, p.width)}>
            {p.label}
          </button>
        ))}
        <button type="button" title="Window from the file, or automatic" onClick={() => engine()?.defaultWindow()}>
          Default
        </button>
      </div>
      <div className="group" aria-label="View">
        <button type="button" title="Invert (i)" onClick={() => activeStack()?.toggleInvert()}>
          Invert
        </button>
        <button type="button" title="Rotate right ( ] )" onClick={() => activeStack()?.rotate(90)}>
          Rotate
        </button>
        <button type="button" title="Flip horizontal (h)" onClick={() => activeStack()?.flip('horizontal')}>
          Flip H
        </button>
        <button type="button" title="Flip vertical (v)" onClick={() => activeStack()?.flip('vertical')}>
          Flip V
        </button>
        <button type="button" title="Fit (f)" onClick={() => activeStack()?.fit()}>
          Fit
        </button>
        <button type="button" title="Reset (r)" onClick={() => activeStack()?.reset()}>
          Reset
        </button>
      </div>
      <div className="group" aria-label="Cine">
        <button
          type="button"
          title="Cine (c)"
          onClick={() => {
            const stack = activeStack();
            if (!stack) return;
            if (stack.cineRunning) stack.stopCine();
            else stack.startCine(cineFps);
          }}
        >
          Cine
        </button>
        <label className="inline">
          <input type="number" min={1} max={60} value={cineFps} aria-label="Cine frames per second" onChange={(e) => setCineFps(Number(e.target.value))} /> fps
        </label>
      </div>
      {layout === 'mpr' && (
        <div className="group" aria-label="Slab">
          <label className="inline">
            Slab
            <input
              type="number"
              min={0}
              max={100}
              value={slab.thicknessMm}
              aria-label="Slab thickness in mm"
              onChange={(e) => {
                const next = { ...slab, thicknessMm: Number(e.target.value) };
                setSlab(next);
                engine()?.setSlab(next.thicknessMm, next.mode);
              }}
            />
            mm
          </label>
          <select
            aria-label="Slab mode"
            value={slab.mode}
            onChange={(e) => {
              const next = { ...slab, mode: e.target.value as typeof slab.mode };
              setSlab(next);
              engine()?.setSlab(next.thicknessMm, next.mode);
            }}
          >
            <option value="mip">MIP</option>
            <option value="minip">MinIP</option>
            <option value="average">Average</option>
          </select>
          <select aria-label="3D preset" onChange={(e) => engine()?.setVolumePreset(e.target.value)}>
            {VOLUME_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <ClipControls />
        </div>
      )}
      <button type="button" className="help-button" onClick={toggleHelp} title="Keyboard shortcuts (?)">
        ?
      </button>
    </div>
  );
}

/** Clipping box of the 3D view: one range per volume axis (percent). */
function ClipControls() {
  const box = useRef<[[number, number], [number, number], [number, number]]>([[0, 1], [0, 1], [0, 1]]).current;
  return (
    <details className="clip-controls">
      <summary>Clip</summary>
      {(['Columns', 'Rows', 'Slices'] as const).map((axis, a) => (
        <div key={axis} className="clip-row">
          <span>{axis}</span>
          {[0, 1].map((end) => (
            <input
              key={end}
              type="range"
              min={0}
              max={100}
              defaultValue={end * 100}
              aria-label={`Clip ${axis} ${end === 0 ? 'from' : 'to'}`}
              onChange={(e) => {
                box[a]![end] = Number(e.target.value) / 100;
                engineHandle.get()?.setClipBox(box);
              }}
            />
          ))}
        </div>
      ))}
    </details>
  );
}
