/** What an installation is: its layout, its build, its integrity manifest. */
export { resolveInstallLayout, type InstallLayout } from './installLayout';
export { readBuildInfo, type BuildInfo } from './buildInfo';
export { verifyIntegrity, writeIntegrityManifest, INTEGRITY_MANIFEST_NAME, type IntegrityReport } from './integrityManifest';
