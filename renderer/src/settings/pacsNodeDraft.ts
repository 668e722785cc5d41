import { PacsNodeSchema, type Settings } from '../../../shared/ipc/contract';

type PacsNode = Settings['pacsNodes'][number];

/** A PACS node as typed in the form: every field a string until it parses. */
export interface PacsNodeDraft {
  id: string | null;
  name: string;
  aeTitle: string;
  host: string;
  port: string;
  dicomWebUrl: string;
  tls: boolean;
  /** PEM file paths on this workstation; empty: the system's trust store, no client certificate. */
  tlsCaFile: string;
  tlsCertFile: string;
  tlsKeyFile: string;
}
export type DraftField = Exclude<keyof PacsNodeDraft, 'id'>;
export type DraftErrors = Partial<Record<DraftField, string>>;

export const emptyDraft: PacsNodeDraft = { id: null, name: '', aeTitle: '', host: '', port: '104', dicomWebUrl: '', tls: false, tlsCaFile: '', tlsCertFile: '', tlsKeyFile: '' };

export function draftOf(node: PacsNode): PacsNodeDraft {
  return {
    id: node.id,
    name: node.name,
    aeTitle: node.aeTitle,
    host: node.host,
    port: String(node.port),
    dicomWebUrl: node.dicomWebUrl ?? '',
    tls: node.tls,
    tlsCaFile: node.tlsCaFile ?? '',
    tlsCertFile: node.tlsCertFile ?? '',
    tlsKeyFile: node.tlsKeyFile ?? '',
  };
}

/** Sentences a user can act on, per field; zod's own wording is for developers. */
const MESSAGES: Record<DraftField, string> = {
  name: 'Enter a name (up to 128 characters).',
  aeTitle: 'AE titles are 1-16 printable ASCII characters (PS3.5 6.2, AE value representation).',
  host: 'Enter a host name or IP address.',
  port: 'The port is a whole number from 1 to 65535 (DICOM is often 104 or 11112).',
  dicomWebUrl: 'The DICOMweb URL must be a full address, such as http://pacs.example:8042/dicom-web.',
  tls: 'TLS must be on or off.',
  tlsCaFile: 'Enter the path of the CA certificate file (PEM).',
  tlsCertFile: 'Enter the path of the client certificate file (PEM).',
  tlsKeyFile: 'Enter the path of the client key file (PEM).',
};

/**
 * Parses a draft with the contract's PacsNodeSchema, the same rule the back end applies, so the form
 * refuses exactly what settings.update would refuse. Names must also be unique: the node list and the
 * query panel tell nodes apart by name.
 */
export function parseDraft(draft: PacsNodeDraft, others: readonly PacsNode[]): { ok: true; node: PacsNode } | { ok: false; errors: DraftErrors } {
  const port = draft.port.trim();
  const candidate = {
    id: draft.id ?? crypto.randomUUID(),
    name: draft.name.trim(),
    aeTitle: draft.aeTitle.trim(),
    host: draft.host.trim(),
    port: /^\d+$/.test(port) ? Number(port) : Number.NaN,
    ...(draft.dicomWebUrl.trim() ? { dicomWebUrl: draft.dicomWebUrl.trim() } : {}),
    tls: draft.tls,
    ...(draft.tlsCaFile.trim() ? { tlsCaFile: draft.tlsCaFile.trim() } : {}),
    ...(draft.tlsCertFile.trim() ? { tlsCertFile: draft.tlsCertFile.trim() } : {}),
    ...(draft.tlsKeyFile.trim() ? { tlsKeyFile: draft.tlsKeyFile.trim() } : {}),
  };
  const errors: DraftErrors = {};
  const parsed = PacsNodeSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as DraftField | 'id';
      if (field !== 'id') errors[field] ??= MESSAGES[field];
    }
  }
  if (!errors.name && others.some((n) => n.id !== candidate.id && n.name.toLowerCase() === candidate.name.toLowerCase())) {
    errors.name = `A node named “${candidate.name}” already exists.`;
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, node: parsed.data };
  return { ok: false, errors };
}
