import type { CliCommand } from '../command';

/** Every CLI command, in the order `lumen --help` lists them. Each lives in its own file here. */
export const commands: readonly CliCommand[] = [];
