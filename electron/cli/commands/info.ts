import { LumenError } from '../../../shared/domain/errors';
import { indexSeries } from '../../services/dicom/import/index';
import type { AssembledSeries } from '../../services/dicom/series/index';
import type { CliCommand } from '../command';

/** Millimetres and degrees to 6 decimals: finer than any scanner writes, coarser than float noise. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

function seriesJson(s: AssembledSeries) {
  return {
    seriesInstanceUid: s.seriesInstanceUid,
    studyInstanceUid: s.studyInstanceUid,
    part: s.part,
    modality: s.modality,
    description: s.description,
    seriesNumber: s.seriesNumber,
    rows: s.rows,
    columns: s.columns,
    slices: s.slices.length,
    frames: s.frames,
    instances: s.instances,
    pixelSpacing: s.pixelSpacing,
    sliceSpacing: s.sliceSpacing === null ? null : round(s.sliceSpacing),
    orientation: s.orientation && {
      imageOrientationPatient: s.orientation.imageOrientationPatient,
      row: s.orientation.rowLetters,
      column: s.orientation.columnLetters,
      normal: s.orientation.normalLetters,
      edges: s.orientation.edges,
    },
    origin: s.origin,
    uniformSpacing: s.uniformSpacing,
    missingSlicePositions: s.missingSlicePositions.map((p) => p.map(round)),
    gantryTiltDegrees: s.gantryTiltDegrees === null ? null : round(s.gantryTiltDegrees),
    warnings: s.warnings,
  };
}

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'info <file|folder|DICOMDIR>...',
  summary: 'index DICOM headers and print each series (geometry, spacing, gaps, tilt) as JSON',
  async run(args, io) {
    const inputs = args.filter((a) => !a.startsWith('-'));
    if (inputs.length === 0) {
      io.err(`usage: lumen ${this.usage}`);
      return 2;
    }
    try {
      const result = await indexSeries(inputs);
      io.out(
        JSON.stringify(
          {
            series: result.series.map(seriesJson),
            failed: result.failures,
            files: { seen: result.seen, parsed: result.parsed, failed: result.failed },
          },
          null,
          2,
        ),
      );
      // Some bad files among good ones is a normal import; nothing readable at all is a failure.
      return result.parsed === 0 && result.failed > 0 ? 1 : 0;
    } catch (error) {
      io.err(`lumen info: ${error instanceof LumenError ? `${error.code}: ${error.message}` : String(error)}`);
      return 1;
    }
  },
};
