import { createRequire } from 'node:module';
import type * as DcmjsDimse from 'dcmjs-dimse';

/**
 * dcmjs-dimse, loaded once (CommonJS, no named ESM exports). Its logger writes every PDU at info level,
 * including data set contents: set to error so no patient data reaches the console or logs.
 */
const dimse = createRequire(import.meta.url)('dcmjs-dimse') as typeof DcmjsDimse;
dimse.log.setLevel('error');

export default dimse;
export type { Dataset, Client, Scp, Server } from 'dcmjs-dimse';
