/** PACS connectivity: DIMSE (C-ECHO, C-FIND, C-MOVE, C-GET, C-STORE SCP) and DICOMweb (QIDO, WADO, STOW). */
export { NetworkService, type RemoteStudyQuery } from './networkService';
export { DicomWebClient } from './dicomweb/dicomWebClient';
export { cEcho, cFind, cGetStudy, cMoveStudy, type FindLevel, type RetrieveCounts } from './dimse/dimseOperations';
export { StoreScp, type StoreScpOptions } from './scp/storeScp';
export type { PacsNode } from './pacsNode';
