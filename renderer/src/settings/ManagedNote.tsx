/** The mark on every setting the machine policy fixes. */
export function ManagedNote() {
  return <span className="managed-note">Managed by your administrator</span>;
}
