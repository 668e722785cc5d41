import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { createServices } from '../../services/createServices';
import { createStudyReport, reportServices } from '../../services/report/index';
import { parseCommandArgs, type CliCommand } from '../command';
import { resolveDataDirectory } from '../dataDirectory';

/** `lumen report`: the printable PDF report of a library study; `{ path, pages }` as JSON on stdout. */
export const reportCommand: CliCommand = {
  name: 'report',
  usage: 'report <study-uid> --out <file.pdf> [--deidentify] [--data-dir D]',
  summary: 'write the printable study report (PDF): header, key images, measurements, AI findings',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      allowPositionals: true,
      options: { out: { type: 'string' }, deidentify: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    });
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    const study = positionals[0];
    if (!study || positionals.length > 1 || !values.out) {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    let services;
    try {
      services = await createServices({ dataDir: resolveDataDirectory(values['data-dir']) });
      const result = await createStudyReport(reportServices(services), { studyInstanceUid: study, path: path.resolve(values.out), deidentified: values.deidentify ?? false });
      io.out(JSON.stringify(result));
      return 0;
    } catch (error) {
      io.err(`lumen report: ${error instanceof LumenError ? `${error.code}: ${error.message}` : 'internal error'}`);
      return 1;
    } finally {
      await services?.dispose();
    }
  },
};
