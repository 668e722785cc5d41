import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channelNames } from '../../shared/ipc/contract';
import { fail } from '../../shared/ipc/envelope';
import type { Dispatch } from '../services/handlers/index';
import { isAppUrl } from './security/origins';

export const IPC_PREFIX = 'lumen:';
export const EVENT_CHANNEL = 'lumen:event';

/**
 * Only the app's own top-level page may call the back end: a frame from anywhere else (an injected
 * iframe, a navigated-away page) is refused before any payload is looked at.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/** One ipcMain handler per contract method; payloads go through the shared dispatch (zod-validated). */
export function registerContract(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  for (const channel of channelNames()) {
    ipcMain.handle(`${IPC_PREFIX}${channel}`, (event, payload: unknown) =>
      isTrustedSender(event) ? dispatch(channel, payload) : fail('IPC_UNTRUSTED_SENDER', 'Request refused: it did not come from Lumen.'),
    );
  }
}
