import { LumenError } from '../../shared/domain/errors';
import { commands } from './commands/index';
import { LUMEN_VERSION } from '../services/version';
import type { CliIo } from './command';

const io: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

function usage(): string {
  const lines = commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`);
  return [`lumen ${LUMEN_VERSION}: offline diagnostic imaging workstation (research use only)`, '', 'Usage:', '  lumen --version', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.out(LUMEN_VERSION);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`lumen: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A typed error that escaped a command (closing a damaged library, say) says what it is.
    if (error instanceof LumenError) {
      io.err(`lumen: ${error.code}: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    io.err(`lumen: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 70;
  },
);
