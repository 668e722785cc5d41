import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridge } from '../../shared/ipc/bridge';

/**
 * `window.lumen`: exactly one function per contract method plus `on` for events. Raw ipcRenderer is
 * never exposed; the channel names come from the contract, so nothing else can be invoked.
 */
const EVENT_CHANNEL = 'lumen:event';

contextBridge.exposeInMainWorld(
  'lumen',
  buildBridge({
    invoke: (channel, payload) => ipcRenderer.invoke(`lumen:${channel}`, payload),
    subscribe: (event, listener) => {
      const handler = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
        if (message.event === event) listener(message.payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, handler);
      return () => ipcRenderer.off(EVENT_CHANNEL, handler);
    },
  }),
);
