import type { ViewportOverlay } from '../overlay';
import type { LoadedSeries } from '../seriesCache';
import type { SharedVolume } from '../sharedVolume';
import type { VolumeAccess } from './viewport';

/**
 * A viewport's hold on the series volume that reformats and 3D share: asks for it, shows the load
 * progress in the viewport until it arrives, and gives it back.
 */
export class VolumeClaim {
  volume: SharedVolume | null = null;
  private pending: LoadedSeries | null = null;

  constructor(
    private readonly access: VolumeAccess,
    private readonly overlay: ViewportOverlay,
    /** What appears once loaded, for the status line ("Reformat", "3D"). */
    private readonly label: string,
  ) {}

  /**
   * `onReady` runs when the volume is there, unless the claim was released (or another series
   * requested) by then: the volume is then given back instead, so a quick series switch leaks nothing.
   */
  request(series: LoadedSeries, for3d: boolean, onReady: (volume: SharedVolume) => void): void {
    this.pending = series;
    this.overlay.setStatus(`${this.label} appears when the series is loaded…`);
    void this.access.acquireVolume(series, for3d, () => this.pending === series).then(
      (volume) => {
        if (!volume) return;
        this.volume = volume;
        this.pending = null;
        onReady(volume);
      },
      (error: unknown) => {
        if (this.pending !== series) return;
        this.pending = null;
        this.overlay.setStatus(`${this.label} is not available: ${error instanceof Error ? error.message : String(error)}.`);
      },
    );
  }

  showProgress(): void {
    if (this.pending) this.overlay.setStatus(`${this.label} appears when the series is loaded (${this.pending.loadedCount}/${this.pending.view.frames})`);
  }

  release(): void {
    if (this.volume) this.access.releaseVolume(this.volume);
    this.volume = null;
    this.pending = null;
  }
}
