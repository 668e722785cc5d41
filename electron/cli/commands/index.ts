import type { CliCommand } from '../command';
import { progressionCommand } from './progression';
import { decodeCommand } from './decode';
import { infoCommand } from './info';
import { importCommand } from './import';
import { libraryCommand } from './library';
import { auditCommand } from './audit';
import { queryCommand } from './query';
import { doctorCommand } from './doctor';
import { analyzeCommand } from './analyze';
import { modelsCommand } from './models';
import { exportCommand } from './export';
import { reportCommand } from './report';
import { srCommand } from './sr';

/** Every CLI command, in the order `lumen --help` lists them. Each lives in its own file here. */
export const commands: readonly CliCommand[] = [progressionCommand, decodeCommand, infoCommand, importCommand, libraryCommand, queryCommand, auditCommand, doctorCommand, analyzeCommand, modelsCommand, reportCommand, exportCommand, srCommand];
