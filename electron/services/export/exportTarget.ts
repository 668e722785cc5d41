import type { ExportDestination } from '../../../shared/domain/export';
import type { PacsNode } from '../network/pacsNode';

/**
 * How `lumen export --to <target>` is read: the id of a configured PACS node wins (so a node named like
 * a folder is still the node), then a path ending in .zip (any case) is a ZIP, and anything else is a
 * folder. Node sends default to C-STORE unless the node has only a DICOMweb address.
 */
export function resolveExportTarget(target: string, nodes: readonly PacsNode[], method?: 'c-store' | 'stow-rs'): ExportDestination {
  const node = nodes.find((n) => n.id === target);
  if (node) return { kind: 'pacs', nodeId: node.id, method: method ?? 'c-store' };
  if (/\.zip$/i.test(target)) return { kind: 'zip', path: target };
  return { kind: 'folder', path: target };
}
