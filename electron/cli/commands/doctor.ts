import path from 'node:path';
import { runDoctor, type DoctorCheck } from '../../services/doctor/index';
import { resolveDataDirectory } from '../dataDirectory';
import { parseCommandArgs, type CliCommand } from '../command';

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'doctor [--json] [--data-dir D] [--models-dir D] [--policy-file F]',
  summary: 'check this installation (files, models, providers, data, PACS, port, policy); non-zero exit on a problem',
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, {
      options: {
        json: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        'models-dir': { type: 'string' },
        'policy-file': { type: 'string' },
      },
    });
    if (!parsed) return 2;
    const { values } = parsed;
    const report = await runDoctor({
      dataDir: resolveDataDirectory(values['data-dir']),
      ...(values['models-dir'] ? { modelsDir: path.resolve(values['models-dir']) } : {}),
      ...(values['policy-file'] ? { policyFile: path.resolve(values['policy-file']) } : {}),
    });
    if (values.json) {
      io.out(JSON.stringify(report, null, 2));
    } else {
      io.out('Lumen doctor');
      for (const c of report.checks) io.out(`  ${MARK[c.status]}  ${c.title.padEnd(24)} ${c.detail}`);
      const failed = report.checks.filter((c) => c.status === 'fail').length;
      io.out(failed ? `\n${failed} problem${failed > 1 ? 's' : ''} found.` : '\nNo problems found.');
    }
    return report.ok ? 0 : 1;
  },
};
