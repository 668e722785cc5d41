import { LumenError } from '../../../shared/domain/errors';
import { createServices } from '../../services/createServices';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

export const queryCommand: CliCommand = {
  name: 'query',
  usage: 'query <node-id> [--patient NAME] [--id PID] [--accession A] [--date YYYYMMDD[-YYYYMMDD]] [--modality M] [--dicomweb]',
  summary: 'search a configured PACS node for studies (C-FIND, or QIDO-RS with --dicomweb); JSON lines',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      allowPositionals: true,
      options: {
        patient: { type: 'string' },
        id: { type: 'string' },
        accession: { type: 'string' },
        date: { type: 'string' },
        modality: { type: 'string' },
        dicomweb: { type: 'boolean' },
        'data-dir': { type: 'string' },
      },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    const nodeId = positionals[0];
    if (!nodeId) {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    let services;
    try {
      services = await createServices({ dataDir: resolveDataDirectory(values['data-dir']) });
      const studies = await services.network.queryStudies({
        nodeId,
        ...(values.patient ? { patientName: values.patient } : {}),
        ...(values.id ? { patientId: values.id } : {}),
        ...(values.accession ? { accessionNumber: values.accession } : {}),
        ...(values.date ? { studyDate: values.date } : {}),
        ...(values.modality ? { modality: values.modality } : {}),
        via: values.dicomweb ? 'dicomweb' : 'dimse',
      });
      for (const study of studies) io.out(JSON.stringify(study));
      io.err(`query: ${studies.length} studies`);
      return 0;
    } catch (error) {
      io.err(`lumen query: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      return 1;
    } finally {
      await services?.dispose();
    }
  },
};
