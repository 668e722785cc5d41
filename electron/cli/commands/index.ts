import type { CliCommand } from '../command';
import { progressionCommand } from './progression';
import { decodeCommand } from './decode';
import { infoCommand } from './info';
import { importCommand } from './import';
import { auditCommand } from './audit';
import { queryCommand } from './query';
import { doctorCommand } from './doctor';
import { analyzeCommand } from './analyze';
import { modelsCommand } from './models';

/** Every CLI command, in the order `lumen --help` lists them. Each lives in its own file here. */
export const commands: readonly CliCommand[] = [progressionCommand, decodeCommand, infoCommand, importCommand, queryCommand, auditCommand, doctorCommand, analyzeCommand, modelsCommand];
