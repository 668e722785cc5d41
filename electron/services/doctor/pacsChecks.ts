import type { Settings } from '../../../shared/ipc/contract';
import { cEcho } from '../network/dimse/dimseOperations';
import { check, type DoctorCheck } from './doctorCheck';

/** C-ECHO (PS3.7 9.1.5) to every configured PACS node, one at a time so a slow node names itself. */
export async function pacsNodesCheck(settings: Settings): Promise<DoctorCheck> {
  const title = 'PACS nodes';
  if (settings.pacsNodes.length === 0) return check('pacs', title, 'ok', 'None configured: Lumen makes no network connection.', { nodes: [] });
  const results = [];
  for (const node of settings.pacsNodes) {
    try {
      const ms = await cEcho(node, settings.localAeTitle);
      results.push({ id: node.id, name: node.name, ok: true, detail: `C-ECHO ${Math.round(ms)} ms` });
    } catch (error) {
      results.push({ id: node.id, name: node.name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  const summary = results.map((r) => `${r.name} (${r.ok ? r.detail : `unreachable: ${r.detail}`})`).join('; ');
  return check('pacs', title, results.every((r) => r.ok) ? 'ok' : 'fail', summary, { nodes: results });
}
