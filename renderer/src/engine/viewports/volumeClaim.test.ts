import { describe, expect, it } from 'vitest';
import type { ViewportOverlay } from '../overlay';
import type { LoadedSeries } from '../seriesCache';
import type { SharedVolume } from '../sharedVolume';
import type { VolumeAccess } from './viewport';
import { VolumeClaim } from './volumeClaim';

/** A volume cache stand-in that resolves each request when the test says so, asking stillWanted then, as the engine does. */
function fakeAccess() {
  const pending: { series: LoadedSeries; stillWanted: () => boolean; resolve: (v: SharedVolume | null) => void }[] = [];
  const released: SharedVolume[] = [];
  const access: VolumeAccess = {
    acquireVolume: (series, _for3d, stillWanted) => new Promise((resolve) => pending.push({ series, stillWanted, resolve })),
    releaseVolume: (volume) => released.push(volume),
  };
  /** Finishes loading request i: the volume if the claim still wants it, else it goes back (null). */
  const finish = async (i: number) => {
    const p = pending[i]!;
    const volume = { id: i } as unknown as SharedVolume;
    if (p.stillWanted()) p.resolve(volume);
    else {
      released.push(volume);
      p.resolve(null);
    }
    await Promise.resolve();
  };
  return { access, pending, released, finish };
}

const series = (loaded: number, frames: number) => ({ loadedCount: loaded, view: { frames } }) as unknown as LoadedSeries;

function fakeOverlay() {
  const status: string[] = [];
  return { overlay: { setStatus: (s: string) => status.push(s) } as unknown as ViewportOverlay, status };
}

describe('VolumeClaim', () => {
  it('shows load progress until the volume arrives, then builds once and gives the volume back on release', async () => {
    const { access, released, finish } = fakeAccess();
    const { overlay, status } = fakeOverlay();
    const claim = new VolumeClaim(access, overlay, 'Reformat');
    const built: SharedVolume[] = [];
    const s = series(3, 10);
    claim.request(s, false, (v) => built.push(v));
    claim.showProgress();
    expect(status).toEqual(['Reformat appears when the series is loaded…', 'Reformat appears when the series is loaded (3/10)']);
    await finish(0);
    expect(built).toHaveLength(1);
    expect(claim.volume).toBe(built[0]);
    claim.showProgress();
    expect(status).toHaveLength(2);
    claim.release();
    expect(released).toEqual(built);
    expect(claim.volume).toBeNull();
  });

  it('a volume that arrives after a switch to another series is not built but given back', async () => {
    const { access, released, finish } = fakeAccess();
    const claim = new VolumeClaim(access, fakeOverlay().overlay, '3D');
    const built: number[] = [];
    claim.request(series(0, 5), true, () => built.push(1));
    claim.release();
    claim.request(series(0, 7), true, () => built.push(2));
    await finish(0);
    expect(built).toEqual([]);
    expect(released).toHaveLength(1);
    await finish(1);
    expect(built).toEqual([2]);
  });

  it('says why when the volume cannot be had (damaged slices), and progress does not overwrite it', async () => {
    const { overlay, status } = fakeOverlay();
    let fail: (error: Error) => void = () => undefined;
    const access: VolumeAccess = { acquireVolume: () => new Promise((_, reject) => (fail = reject)), releaseVolume: () => undefined };
    const claim = new VolumeClaim(access, overlay, 'Reformat');
    let built = false;
    claim.request(series(270, 275), false, () => (built = true));
    fail(new Error('4 of 275 images of the series could not be read, and it needs every slice'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    claim.showProgress();
    expect(built).toBe(false);
    expect(status.at(-1)).toBe('Reformat is not available: 4 of 275 images of the series could not be read, and it needs every slice.');
    expect(claim.volume).toBeNull();
  });

  it('a volume that arrives after the viewport let go (closed, or no series) is given back', async () => {
    const { access, released, finish } = fakeAccess();
    const claim = new VolumeClaim(access, fakeOverlay().overlay, '3D');
    let built = false;
    claim.request(series(0, 5), true, () => (built = true));
    claim.release();
    await finish(0);
    expect(built).toBe(false);
    expect(released).toHaveLength(1);
    expect(claim.volume).toBeNull();
  });
});
