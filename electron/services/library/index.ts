/** The study library: SQLite database, import (reference or copy), search, open, delete, repair. */
export { LibraryService, type ImportSummary, type LibraryServiceOptions } from './libraryService';
export { LibraryDatabase, type StoredFile, type DerivedResult } from './libraryDatabase';
export { importIntoLibrary, type ImportMode, type LibraryImportProgress, type LibraryImportResult } from './importIntoLibrary';
export { repairLibrary, type LibraryRepairSummary, type LibraryRepairProgress } from './repairLibrary';
export type { InstanceRecord } from './instanceRecord';
export type { StudyQuery } from './studySearch';
