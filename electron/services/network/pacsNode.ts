import type { z } from 'zod';
import type { PacsNodeSchema } from '../../../shared/ipc/contract';

export type PacsNode = z.infer<typeof PacsNodeSchema>;

/** How this workstation names itself on the DICOM network. */
export interface LocalAe {
  aeTitle: string;
}
