import { create } from 'zustand';
import type { LayoutId } from '../engine/presets';
import type { Measurement } from '../engine/measurements';
import type { ToolId } from '../engine/viewports/viewport';

/** Viewer state React shows: layout, tool, what each viewport holds, measurements. No pixels here. */
interface ViewerState {
  studyInstanceUid: string | null;
  layout: LayoutId;
  tool: ToolId;
  /** Series shown in each viewport of the layout, by index. */
  assignments: (string | null)[];
  activeViewport: string | null;
  measurements: Measurement[];
  helpOpen: boolean;
  cineFps: number;
  slab: { thicknessMm: number; mode: 'mip' | 'minip' | 'average' };
  openStudy(studyInstanceUid: string, layout: LayoutId, firstSeries: string | null, seriesCount: number): void;
  setLayout(layout: LayoutId, fill: string | null): void;
  setTool(tool: ToolId): void;
  assign(index: number, seriesInstanceUid: string): void;
  setActiveViewport(id: string): void;
  setMeasurements(list: Measurement[]): void;
  toggleHelp(): void;
  setCineFps(fps: number): void;
  setSlab(slab: ViewerState['slab']): void;
}

const VIEWPORT_COUNT: Record<LayoutId, number> = { '1x1': 1, '1x2': 2, '2x2': 4, mpr: 4 };

export const useViewerStore = create<ViewerState>((set, get) => ({
  studyInstanceUid: null,
  layout: '1x1',
  tool: 'windowLevel',
  assignments: [null],
  activeViewport: null,
  measurements: [],
  helpOpen: false,
  cineFps: 15,
  slab: { thicknessMm: 0, mode: 'mip' },
  openStudy: (studyInstanceUid, layout, firstSeries) =>
    set({ studyInstanceUid, layout, assignments: Array.from({ length: VIEWPORT_COUNT[layout] }, () => firstSeries), measurements: [] }),
  setLayout: (layout, fill) => {
    const previous = get().assignments;
    // MPR shows one series in all four panes; grids keep what they had and fill new panes
    const assignments = Array.from({ length: VIEWPORT_COUNT[layout] }, (_, i) => (layout === 'mpr' ? (previous[0] ?? fill) : (previous[i] ?? fill)));
    set({ layout, assignments });
  },
  setTool: (tool) => set({ tool }),
  assign: (index, uid) => {
    const { layout, assignments } = get();
    set({ assignments: layout === 'mpr' ? assignments.map(() => uid) : assignments.map((a, i) => (i === index ? uid : a)) });
  },
  setActiveViewport: (activeViewport) => set({ activeViewport }),
  setMeasurements: (measurements) => set({ measurements }),
  toggleHelp: () => set({ helpOpen: !get().helpOpen }),
  setCineFps: (cineFps) => set({ cineFps: Math.min(60, Math.max(1, cineFps)) }),
  setSlab: (slab) => set({ slab }),
}));
