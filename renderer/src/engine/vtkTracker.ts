/**
 * Every vtk.js object the engine creates is registered here and deleted by its owner's dispose, so a
 * test can prove that scrolling, switching series and unmounting leave nothing behind.
 */
export interface Deletable {
  delete(): void;
}

export class VtkTracker {
  private readonly live = new Set<Deletable>();

  track<T extends Deletable>(object: T): T {
    this.live.add(object);
    return object;
  }

  release(...objects: (Deletable | null | undefined)[]): void {
    for (const object of objects) {
      if (!object || !this.live.has(object)) continue;
      this.live.delete(object);
      object.delete();
    }
  }

  get count(): number {
    return this.live.size;
  }
}
