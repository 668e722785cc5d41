/** The audit trail: an append-only, hash-chained log of every import, open, retrieve, AI run, export, send and delete. */
export { AuditLog, verifyAuditFile, type AuditRecord } from './auditLog';
export { verifyChain, entryHash, GENESIS_HASH, type ChainVerdict } from './hashChain';
