/**
 * On-device AI: the model registry (manifests, checksums, applicability), the manifest-driven
 * preprocessing, and the inference host in its own process behind a supervisor.
 */
export { AiEngine, sessionSpecs, type AiEngineOptions, type EngineStatus, type AnalysisStage } from './aiEngine';
export { listModels, openModel, verifyModelFiles, modelFiles, readVerifiedModelBytes, type InstalledModel, type ModelListing, type ModelFile } from './modelRegistry';
export { assertApplicable, type ImageFacts } from './applicability';
export { InferenceSupervisor, type SessionSpec, type LoadedSession, type RunOutput } from './inferenceSupervisor';
export { forkHostLauncher } from './forkHostTransport';
export { providerOrder, availableProviders } from './executionProviders';
export type { HostTransport, HostLauncher, ToHost, FromHost, ProviderName } from './hostProtocol';
