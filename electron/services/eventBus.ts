import { EventEmitter } from 'node:events';
import { events, type EventName, type EventPayload } from '../../shared/ipc/contract';

/** Typed back-end events; each host forwards them to its renderer (IPC in the app, WebSocket in the harness). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }

  /** Listens to one event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const handler = (payload: EventPayload<E>) => listener(payload);
    this.emitter.on(event, handler);
    return () => this.emitter.off(event, handler);
  }

  /** Listens to every event; returns the function that stops listening. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    const handlers = new Map<string, (payload: unknown) => void>();
    for (const event of Object.keys(events) as EventName[]) {
      const handler = (payload: unknown) => listener(event, payload);
      handlers.set(event, handler);
      this.emitter.on(event, handler);
    }
    return () => handlers.forEach((handler, event) => this.emitter.off(event, handler));
  }
}
