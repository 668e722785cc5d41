import { describe, expect, it } from 'vitest';
import { ExportRequestSchema, DEIDENTIFY_OPTIONS as SHARED_OPTIONS } from '../../../shared/domain/export';
import { DEIDENTIFY_OPTIONS, emptyExportForm, exportRequestOf } from './exportForm';

const study = '1.2.840.113619.2.55.3';

describe('the export dialog form', () => {
  it('offers exactly the de-identification options the back end accepts', () => {
    expect([...DEIDENTIFY_OPTIONS].sort()).toEqual([...SHARED_OPTIONS].sort());
  });

  it('becomes a request the IPC contract accepts, for each destination', () => {
    const folder = exportRequestOf(study, { ...emptyExportForm, path: ' /media/usb/export ' });
    expect(folder).toMatchObject({ destination: { kind: 'folder', path: '/media/usb/export' }, deidentify: null });
    expect(ExportRequestSchema.safeParse(folder).success).toBe(true);
    const zip = exportRequestOf(study, { ...emptyExportForm, kind: 'zip', path: '/tmp/a.ZIP', deidentify: true, options: ['retain-uids'], burnedInAnnotation: 'warn' });
    expect(ExportRequestSchema.parse(zip)).toMatchObject({ destination: { kind: 'zip' }, deidentify: { options: ['retain-uids'], burnedInAnnotation: 'warn' } });
    const pacs = exportRequestOf(study, { ...emptyExportForm, kind: 'pacs', nodeId: 'main', method: 'stow-rs', includeAi: true, includeSecondaryCapture: true });
    expect(ExportRequestSchema.parse(pacs)).toMatchObject({ destination: { kind: 'pacs', nodeId: 'main', method: 'stow-rs' }, includeAi: true, includeSecondaryCapture: true });
    // A secondary capture is of an AI result: without AI results it is not asked for.
    expect(exportRequestOf(study, { ...emptyExportForm, path: '/x', includeSecondaryCapture: true })).toMatchObject({ includeSecondaryCapture: false });
  });

  it('says what is missing instead of sending an incomplete request', () => {
    expect(exportRequestOf(study, emptyExportForm)).toEqual({ problem: 'Choose a destination folder.' });
    expect(exportRequestOf(study, { ...emptyExportForm, kind: 'zip', path: '/tmp/a.tar' })).toEqual({ problem: 'A ZIP file name ends in .zip.' });
    expect(exportRequestOf(study, { ...emptyExportForm, kind: 'pacs' })).toEqual({ problem: 'Choose a PACS node (add one in Settings).' });
  });
});
