import type { BuildInfo } from '../install/buildInfo';
import { verifyIntegrity } from '../install/integrityManifest';
import type { InstallLayout } from '../install/installLayout';
import { LumenError } from '../../../shared/domain/errors';
import { check, type DoctorCheck } from './doctorCheck';

export function versionCheck(build: BuildInfo, layout: InstallLayout): DoctorCheck {
  const where = layout.kind === 'packaged' ? `installed at ${layout.appRoot}` : `source checkout at ${layout.appRoot}`;
  return check('version', 'Version', 'ok', `Lumen ${build.version}, commit ${build.commit}, built ${build.builtAt}; ${where}`, { ...build, kind: layout.kind });
}

/** Listing at most a few names keeps the line readable; --json has them all. */
const some = (files: string[]) => files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');

export async function integrityCheck(layout: InstallLayout): Promise<DoctorCheck> {
  const title = 'Installation integrity';
  if (!layout.integrityManifest) {
    return check('integrity', title, 'ok', 'Source checkout: there is no installation manifest to check; the models are checked against their manifests below.', { checked: 0 });
  }
  let report;
  try {
    report = await verifyIntegrity(layout.integrityManifest);
  } catch (error) {
    if (error instanceof LumenError) return check('integrity', title, 'fail', `${error.code}: ${error.message}`);
    throw error;
  }
  const data = { ...report };
  if (report.missing.length || report.changed.length) {
    const parts = [report.changed.length ? `changed: ${some(report.changed)}` : '', report.missing.length ? `missing: ${some(report.missing)}` : ''].filter(Boolean);
    return check('integrity', title, 'fail', `${report.changed.length + report.missing.length} of ${report.checked} packaged files differ from what was shipped (${parts.join('; ')}). Reinstall Lumen.`, data);
  }
  if (report.unexpected.length) {
    return check('integrity', title, 'warn', `All ${report.checked} packaged files match; ${report.unexpected.length} files were added after installation: ${some(report.unexpected)}`, data);
  }
  return check('integrity', title, 'ok', `All ${report.checked} packaged files match the manifest written at build time.`, data);
}
