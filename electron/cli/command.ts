import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One CLI command: parses its own arguments, writes to the given streams, returns the exit code. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/**
 * Parses a command's arguments with node:util parseArgs; a usage error is printed the same way for
 * every command (`lumen <name>: <reason>` and the usage line) and answers null, for exit code 2.
 */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'args'>>(
  command: Pick<CliCommand, 'name' | 'usage'>,
  args: readonly string[],
  io: CliIo,
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[] }>> | null {
  try {
    return parseArgs({ ...config, args: [...args] });
  } catch (error) {
    io.err(`lumen ${command.name}: ${(error as Error).message}\nusage: lumen ${command.usage}`);
    return null;
  }
}
