import type { NaturalDataset } from '../dicom/types';
import { LUMEN_VERSION } from '../version';
import { CODES } from './codes';
import { codeItem, textItem, uidItem } from './contentItems';
import { IMPLEMENTATION_CLASS_UID } from '../network/part10File';

/**
 * TID 1002 Observer Context with a device observer (TID 1004): Lumen made these results, no person has
 * signed them. The Device Observer UID is Lumen's implementation UID, fixed for the product.
 */
export function observerContext(): NaturalDataset[] {
  return [
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    uidItem('HAS OBS CONTEXT', CODES.deviceObserverUid, IMPLEMENTATION_CLASS_UID),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverName, 'Lumen'),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverManufacturer, 'Lumen'),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverModelName, `Lumen workstation ${LUMEN_VERSION}`),
  ];
}
