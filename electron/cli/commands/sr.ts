import { readFile } from 'node:fs/promises';
import { LumenError } from '../../../shared/domain/errors';
import { srToJson } from '../../services/sr/index';
import { parseCommandArgs, type CliCommand } from '../command';

export const srCommand: CliCommand = {
  name: 'sr',
  usage: 'sr <file>',
  summary: "print a DICOM Structured Report's content tree (title, observer context, items) as JSON",
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, { allowPositionals: true, options: {} });
    if (!parsed) return 2;
    const [file] = parsed.positionals;
    if (!file || parsed.positionals.length > 1) {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    try {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new LumenError('SR_FILE_UNREADABLE', 'The file could not be read.', { cause: error });
      }
      io.out(JSON.stringify(srToJson(bytes), null, 2));
      return 0;
    } catch (error) {
      io.err(`lumen sr: ${error instanceof LumenError ? `${error.code}: ${error.message}` : String(error)}`);
      return 1;
    }
  },
};
