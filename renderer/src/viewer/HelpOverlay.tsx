import { useViewerStore } from '../state/viewerStore';
import { COMMAND_KEYS, TOOL_KEYS } from './shortcuts';

export function HelpOverlay() {
  const { helpOpen, toggleHelp } = useViewerStore();
  if (!helpOpen) return null;
  return (
    <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={toggleHelp}>
      <div className="help-card" onClick={(e) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table>
          <tbody>
            {[...TOOL_KEYS.map((t) => ({ key: t.key, label: `Tool: ${t.label}` })), ...COMMAND_KEYS].map((s) => (
              <tr key={s.key + s.label}>
                <td>
                  <kbd>{s.key}</kbd>
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={toggleHelp}>
          Close
        </button>
      </div>
    </div>
  );
}
