import { LumenError } from '../../../shared/domain/errors';
import { firstShownFrame, middleOutOrder } from '../../../shared/domain/loadOrder';
import { framePlane, patientToIndex } from '../../../shared/domain/geometry/framePlane';
import type { ModelManifest } from '../../../shared/domain/modelManifest';
import { measurementFrame } from '../../../shared/domain/measurement';
import type { AiService } from '../ai/aiService';
import { openModel } from '../ai/modelRegistry';
import { parseDicomFile, stringOf } from '../dicom/parse/index';
import type { NaturalDataset } from '../dicom/types';
import type { LibraryService } from '../library/libraryService';
import { LUMEN_VERSION } from '../version';
import { layoutStoredSeries, type SeriesLayout, type StoredSeriesFiles } from '../viewer/seriesLayout';
import { displayFrame } from './keyFramePixels';
import type { KeyImage, KeyImageOverlay, ModelCardSummary, ReportAiFinding, ReportHeader, ReportInput, ReportMeasurement } from './reportInput';

/** More key images than this make a report nobody prints; the rest are named in the notes. */
export const MAX_KEY_IMAGES = 12;

/** Why an image is a key image when nothing was chosen: it stands for the study, as the viewer opens it. */
const MIDDLE_IMAGE = 'middle image of the first series';
/** Images tried in all for the default key image: it, then its nearest neighbours. */
const DEFAULT_KEY_IMAGE_TRIES = 7;

export interface ReportSources {
  library: Pick<LibraryService, 'openStudy' | 'seriesPlanes' | 'measurements'>;
  ai: Pick<AiService, 'savedResults'>;
  /** Where `models/<id>/manifest.json` (the model cards) are read from. */
  modelsDir: string;
}

/** A frame the caller wants as a key image, optionally at its own window. */
export interface KeyImageRequest {
  seriesInstanceUid: string;
  frame: number;
  window?: { center: number; width: number };
}

export interface CollectOptions {
  /** Print placeholders instead of the patient's identifiers (the export pipeline passes its own header instead). */
  deidentified?: boolean;
  /** Key images chosen by the caller; default: the measured frames, then the AI-analysed images. */
  keyImages?: KeyImageRequest[];
  now?: Date;
}

/** A series laid out as the viewer shows it (frame k is slices[k]); null when none of it reads. */
type ViewedSeries = SeriesLayout;

function viewedSeries(stored: StoredSeriesFiles): Promise<ViewedSeries | null> {
  return stored.length === 0 ? Promise.resolve(null) : layoutStoredSeries(stored).catch(() => null);
}

/** Patient (LPS, mm) to pixel (column, row) on frame k, on the plane the viewer measured on. */
function pixelMapper(viewed: ViewedSeries, k: number): (p: readonly [number, number, number]) => [number, number] {
  const plane = framePlane(viewed.view, k);
  return (p) => patientToIndex(plane, p);
}

function imageText(viewed: ViewedSeries | null, frame: number | null, deidentified: boolean): string {
  if (!viewed) return 'series not in the library';
  const s = viewed.series;
  return `${(!deidentified && s.description) || s.modality}${s.seriesNumber !== null ? ` (series ${s.seriesNumber})` : ''}${frame !== null ? `, image ${frame + 1} of ${s.slices.length}` : ''}`;
}

function modelCard(manifest: ModelManifest): ModelCardSummary {
  const [set, metrics] = Object.entries(manifest.metrics)[0] ?? [];
  const numbers = metrics ? Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number')) : {};
  return {
    name: manifest.name,
    intendedUse: manifest.intendedUse,
    trainingData: { name: manifest.trainingData.name, source: manifest.trainingData.source, license: manifest.trainingData.license },
    validation: set ? { set, metrics: numbers } : null,
    oodMethod: manifest.ood ? manifest.ood.method : null,
    disclaimer: manifest.disclaimer,
  };
}

function header(ds: NaturalDataset, studyInstanceUid: string, modalities: string[], deidentified: boolean): ReportHeader {
  const text = (keyword: string) => stringOf(ds, keyword)?.trim() ?? '';
  const name = (() => {
    const value = Array.isArray(ds.PatientName) ? ds.PatientName[0] : ds.PatientName;
    if (typeof value === 'string') return value;
    const pn = value as { Alphabetic?: string; Ideographic?: string } | undefined;
    // The Alphabetic group is the one a Latin font can print; the ideographic one when it is all there is.
    return pn?.Alphabetic || pn?.Ideographic || '';
  })();
  if (deidentified) {
    // What the Basic Application Level Confidentiality Profile removes or replaces (PS3.15 Table E.1-1),
    // the original Study Instance UID included; an export prints its own replacement values instead.
    const removed = 'removed';
    return {
      patientName: removed,
      patientId: removed,
      patientBirthDate: removed,
      patientSex: removed,
      studyDate: removed,
      studyDescription: removed,
      accessionNumber: removed,
      institutionName: removed,
      studyInstanceUid: removed,
      modalities,
      deidentified: true,
    };
  }
  return {
    patientName: name,
    patientId: text('PatientID'),
    patientBirthDate: text('PatientBirthDate'),
    patientSex: text('PatientSex'),
    studyDate: text('StudyDate'),
    studyDescription: text('StudyDescription'),
    accessionNumber: text('AccessionNumber'),
    institutionName: text('InstitutionName'),
    studyInstanceUid,
    modalities,
    deidentified: false,
  };
}

/**
 * Gathers what the report of one library study shows: the header from its first readable image, the
 * saved measurements, the saved AI analyses (latest per image and model) with their model cards, and
 * the key images rendered at the window the viewer opens them with. Problems that leave part of the
 * report out (an image that no longer decodes, a model card not installed) become notes, not failures.
 */
export async function collectReportInput(sources: ReportSources, studyInstanceUid: string, options: CollectOptions = {}): Promise<ReportInput> {
  const files = sources.library.openStudy(studyInstanceUid);
  const deidentified = options.deidentified ?? false;
  const notes: string[] = [];
  let firstDataset: NaturalDataset | undefined;
  for (const file of files) {
    try {
      firstDataset = (await parseDicomFile(file.path, { headerOnly: true })).dataset;
      break;
    } catch {
      // try the next file
    }
  }
  if (!firstDataset) throw new LumenError('REPORT_STUDY_UNREADABLE', 'None of the images of this study could be read, so no report can be made.');

  const seriesCache = new Map<string, Promise<ViewedSeries | null>>();
  const seriesOf = (uid: string) => {
    let entry = seriesCache.get(uid);
    if (!entry) {
      entry = viewedSeries(sources.library.seriesPlanes(uid));
      seriesCache.set(uid, entry);
    }
    return entry;
  };

  // Key images, in the order they are first needed; measurements are numbered in saved order.
  const wanted = new Map<string, { request: KeyImageRequest; reasons: string[]; overlays: KeyImageOverlay[] }>();
  const want = (request: KeyImageRequest, reason: string) => {
    const key = `${request.seriesInstanceUid}|${request.frame}`;
    const entry = wanted.get(key) ?? { request, reasons: [], overlays: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    wanted.set(key, entry);
    return entry;
  };
  for (const request of options.keyImages ?? []) want(request, 'chosen');

  const measurements: ReportMeasurement[] = [];
  for (const [i, m] of sources.library.measurements(studyInstanceUid).entries()) {
    const viewed = await seriesOf(m.seriesInstanceUid);
    // the image it was made on, wherever the series' layout puts it now
    const frame = viewed ? measurementFrame(m, viewed.view.frameImages) : null;
    measurements.push({ measurement: m, image: imageText(viewed, frame, deidentified) });
    if (!viewed || frame === null) continue;
    if (options.keyImages) {
      wanted.get(`${m.seriesInstanceUid}|${frame}`)?.overlays.push({ number: i + 1, kind: m.kind, points: m.points.map(pixelMapper(viewed, frame)) });
      continue;
    }
    want({ seriesInstanceUid: m.seriesInstanceUid, frame }, 'measurements').overlays.push({ number: i + 1, kind: m.kind, points: m.points.map(pixelMapper(viewed, frame)) });
  }

  // The latest analysis of each image by each model (a re-run replaces the earlier one in the report).
  const latest = new Map<string, ReturnType<AiService['savedResults']>[number]>();
  for (const result of sources.ai.savedResults(studyInstanceUid)) latest.set(`${result.path}|${result.model}`, result);
  const cards = new Map<string, ModelCardSummary | null>();
  const findings: ReportAiFinding[] = [];
  const manifests = new Map<string, ModelManifest | null>();
  for (const result of latest.values()) {
    if (!manifests.has(result.model)) {
      const manifest = await openModel(sources.modelsDir, result.model).then((m) => m.manifest, () => null);
      manifests.set(result.model, manifest);
      cards.set(result.model, manifest ? modelCard(manifest) : null);
      if (!manifest) notes.push(`The model card of "${result.model}" is not installed on this workstation; its finding is printed without it.`);
    }
    const viewed = result.seriesInstanceUid ? await seriesOf(result.seriesInstanceUid) : null;
    // The classifier reads the first frame of the file it was given (manifest preprocessing "decode").
    const frame = viewed ? viewed.series.slices.findIndex((s) => s.path === result.path && s.frameIndex === 0) : -1;
    const manifest = manifests.get(result.model);
    findings.push({
      analysis: result,
      positiveLabel: manifest?.positiveLabel ?? null,
      image: imageText(viewed, frame >= 0 ? frame : null, deidentified),
      modelCard: cards.get(result.model) ?? null,
    });
    if (viewed && frame >= 0 && !options.keyImages) want({ seriesInstanceUid: result.seriesInstanceUid!, frame }, 'AI analysis');
  }

  if (wanted.size === 0) {
    // Nothing marked: the middle image of the study's first series, as the viewer opens it.
    const firstSeries = stringOf(firstDataset, 'SeriesInstanceUID');
    const viewed = firstSeries ? await seriesOf(firstSeries) : null;
    if (viewed) want({ seriesInstanceUid: firstSeries!, frame: firstShownFrame(viewed.series.slices.length) }, MIDDLE_IMAGE);
  }

  const entries = [...wanted.values()];
  if (entries.length > MAX_KEY_IMAGES) notes.push(`${entries.length - MAX_KEY_IMAGES} more marked image(s) are not shown: a report holds at most ${MAX_KEY_IMAGES} key images.`);
  const keyImages: KeyImage[] = [];
  const modalities = new Set<string>([stringOf(firstDataset, 'Modality') ?? ''].filter(Boolean));
  for (const entry of entries.slice(0, MAX_KEY_IMAGES)) {
    const { seriesInstanceUid, frame, window } = entry.request;
    const viewed = await seriesOf(seriesInstanceUid);
    const slice = viewed?.series.slices[frame];
    if (!viewed || !slice) {
      notes.push(`Image ${frame + 1} of series ${seriesInstanceUid} is not in the library; it is left out.`);
      continue;
    }
    modalities.add(viewed.series.modality);
    // The default key image only stands for its series: when it cannot be rendered (a damaged file),
    // the nearest image that can be takes its place. An image someone chose or measured has no stand-in.
    const candidates = entry.reasons.length === 1 && entry.reasons[0] === MIDDLE_IMAGE ? middleOutOrder(viewed.series.slices.length, frame).slice(0, DEFAULT_KEY_IMAGE_TRIES) : [frame];
    for (const k of candidates) {
      const candidate = viewed.series.slices[k]!;
      try {
        const pixels = await displayFrame(candidate.path, candidate.frameIndex, window);
        const numbers = entry.overlays.map((o) => o.number);
        const reasons = entry.reasons.map((r) =>
          r === 'measurements' ? `measurement${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}` : r === MIDDLE_IMAGE && k !== frame ? `${MIDDLE_IMAGE} (the nearest one that could be read)` : r,
        );
        keyImages.push({
          seriesInstanceUid,
          // Series Description is removed by the Basic Profile (PS3.15 Table E.1-1, action X).
          seriesDescription: deidentified ? '' : viewed.series.description,
          seriesNumber: viewed.series.seriesNumber,
          modality: viewed.series.modality,
          frame: k,
          frames: viewed.series.slices.length,
          instanceNumber: candidate.instanceNumber,
          ...pixels,
          overlays: entry.overlays,
          reason: reasons.join('; '),
        });
        break;
      } catch (error) {
        notes.push(`Image ${k + 1} of ${imageText(viewed, null, deidentified)} could not be rendered (${error instanceof LumenError ? error.code : 'decode error'}); it is left out.`);
      }
    }
  }

  return {
    header: header(firstDataset, studyInstanceUid, [...modalities], deidentified),
    keyImages,
    measurements,
    findings,
    generatedAt: (options.now ?? new Date()).toISOString(),
    lumenVersion: LUMEN_VERSION,
    notes,
  };
}
