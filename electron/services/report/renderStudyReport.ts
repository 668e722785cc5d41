import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { PNG } from 'pngjs';
import { REPORT_DISCLAIMER, type KeyImage, type ReportAiFinding, type ReportInput } from './reportInput';
import { dicomDateText, encodableText, measurementValueText, personNameText, sexText } from './reportText';

// A4 in points (ISO 216: 210 x 297 mm).
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 48, right: 48, top: 52, bottom: 60 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const RULE = rgb(0.75, 0.75, 0.78);
const WARNING = rgb(0.62, 0.12, 0.08);
const OVERLAY = rgb(1, 0.82, 0.1);
const KEY_IMAGES_PER_ROW = 2;
const KEY_IMAGE_GAP = 16;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: ReturnType<typeof rgb>;
}

/**
 * Lays text and images down the pages, opening a new page when the next block does not fit. Every
 * string passes through `safe`, so text the standard fonts cannot encode never reaches pdf-lib.
 */
class PageFlow {
  page!: PDFPage;
  y = 0;
  /** Printed text differs from the data somewhere (transliterated or replaced characters). */
  changedText = false;
  private readonly encodable: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.encodable = new Set(fonts.regular.getCharacterSet());
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN.top;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN.bottom) this.newPage();
  }

  safe(text: string): string {
    const result = encodableText(text, (c) => this.encodable.has(c));
    if (result.changed) this.changedText = true;
    return result.text;
  }

  font(style: TextStyle): PDFFont {
    return style.bold ? this.fonts.bold : this.fonts.regular;
  }

  /** Splits text into lines no wider than `width` (words longer than a line are cut). */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const font = this.font(style);
    const size = style.size ?? 9;
    const lines: string[] = [];
    for (const paragraph of this.safe(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = word;
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  lineHeight(style: TextStyle = {}): number {
    return (style.size ?? 9) * 1.3;
  }

  /** Draws pre-wrapped lines at (x, this.y) downwards without moving the cursor; returns their height. */
  drawLines(lines: string[], x: number, style: TextStyle = {}, top = this.y): number {
    const size = style.size ?? 9;
    const step = this.lineHeight(style);
    lines.forEach((line, i) => {
      if (line) this.page.drawText(line, { x, y: top - size - i * step, size, font: this.font(style), color: style.color ?? INK });
    });
    return lines.length * step;
  }

  paragraph(text: string, style: TextStyle = {}, indent = 0): void {
    const lines = this.wrap(text, CONTENT_WIDTH - indent, style);
    const step = this.lineHeight(style);
    for (const line of lines) {
      this.ensure(step);
      this.drawLines([line], MARGIN.left + indent, style);
      this.y -= step;
    }
  }

  heading(text: string): void {
    this.ensure(40);
    this.y -= 10;
    this.drawLines([this.safe(text)], MARGIN.left, { size: 13, bold: true });
    this.y -= 18;
    this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: PAGE.width - MARGIN.right, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 6;
  }

  /** A table whose cells wrap; the header row repeats on each page the table runs onto. */
  table(columns: { title: string; width: number }[], rows: string[][]): void {
    const style: TextStyle = { size: 8.5 };
    const headStyle: TextStyle = { size: 8.5, bold: true, color: MUTED };
    const pad = 3;
    const xs = columns.reduce<number[]>((acc, c, i) => [...acc, i === 0 ? MARGIN.left : acc[i - 1]! + columns[i - 1]!.width * CONTENT_WIDTH], []);
    const drawRow = (cells: string[], rowStyle: TextStyle) => {
      const wrapped = cells.map((cell, i) => this.wrap(cell || '-', columns[i]!.width * CONTENT_WIDTH - 2 * pad, rowStyle));
      const height = Math.max(...wrapped.map((l) => l.length)) * this.lineHeight(rowStyle) + 2 * pad;
      return { wrapped, height };
    };
    const head = () => {
      const { wrapped, height } = drawRow(columns.map((c) => c.title), headStyle);
      wrapped.forEach((lines, i) => this.drawLines(lines, xs[i]! + pad, headStyle, this.y - pad));
      this.y -= height;
      this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: PAGE.width - MARGIN.right, y: this.y }, thickness: 0.5, color: RULE });
    };
    this.ensure(60);
    head();
    for (const cells of rows) {
      const { wrapped, height } = drawRow(cells, style);
      if (this.y - height < MARGIN.bottom) {
        this.newPage();
        head();
      }
      wrapped.forEach((lines, i) => this.drawLines(lines, xs[i]! + pad, style, this.y - pad));
      this.y -= height;
      this.page.drawLine({ start: { x: MARGIN.left, y: this.y }, end: { x: PAGE.width - MARGIN.right, y: this.y }, thickness: 0.25, color: RULE });
    }
    this.y -= 8;
  }
}

const dash = (s: string | null | undefined) => (s && s.trim() ? s.trim() : '-');

function headerSection(flow: PageFlow, input: ReportInput): void {
  const h = input.header;
  flow.drawLines(['Lumen study report'], MARGIN.left, { size: 18, bold: true });
  flow.y -= 26;
  flow.drawLines([REPORT_DISCLAIMER], MARGIN.left, { size: 10, bold: true, color: WARNING });
  flow.y -= 18;
  if (h.deidentified) {
    flow.paragraph('De-identified: patient and study identifiers below are the values after de-identification (DICOM PS3.15 Annex E), not the originals.', { size: 8.5, color: MUTED });
  }
  const name = personNameText(h.patientName);
  const rows: [string, string][] = [
    ['Patient name', dash(name)],
    ['Patient ID', dash(h.patientId)],
    ['Birth date', dash(dicomDateText(h.patientBirthDate))],
    ['Sex', dash(sexText(h.patientSex))],
    ['Study date', dash(dicomDateText(h.studyDate))],
    ['Study description', dash(h.studyDescription)],
    ['Accession number', dash(h.accessionNumber)],
    ['Institution', dash(h.institutionName)],
    ['Modalities', dash(h.modalities.join(', '))],
    ['Study Instance UID', h.studyInstanceUid],
  ];
  const before = flow.changedText;
  flow.changedText = false;
  // Two columns of label/value pairs: the header stays compact above the findings.
  const half = Math.ceil(rows.length / 2);
  const columnWidth = CONTENT_WIDTH / 2;
  const labelWidth = 92;
  const blockTop = flow.y - 4;
  let bottom = blockTop;
  for (const [column, pairs] of [rows.slice(0, half), rows.slice(half)].entries()) {
    let y = blockTop;
    for (const [label, value] of pairs) {
      const x = MARGIN.left + column * columnWidth;
      const lines = flow.wrap(value, columnWidth - labelWidth - 8, { size: 9.5 });
      flow.drawLines([label], x, { size: 8.5, color: MUTED }, y - 0.8);
      y -= flow.drawLines(lines, x + labelWidth, { size: 9.5, bold: label === 'Patient name' }, y) + 2;
    }
    bottom = Math.min(bottom, y);
  }
  flow.y = bottom - 4;
  if (flow.changedText) {
    flow.paragraph('Some characters of the header (for example a non-Latin name) cannot be printed with the report font: they are transliterated or shown as "?". The DICOM files hold the original text.', { size: 8, color: WARNING });
  }
  flow.changedText = before || flow.changedText;
}

function encodePng(image: KeyImage): Uint8Array {
  const { columns, rows, samplesPerPixel, data } = image.pixels;
  const colorType = samplesPerPixel === 3 ? 2 : 0;
  const png = new PNG({ width: columns, height: rows, colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
}

function windowText(image: KeyImage): string {
  if (!image.window) return 'Colour image (no window)';
  const w = image.window;
  const source = { header: 'from the image header', minmax: "the image's full range", caller: 'as chosen' }[w.source];
  const round = (v: number) => String(Math.round(v * 100) / 100);
  return `W ${round(w.width)} / L ${round(w.center)} (${source}${w.explanation ? `: ${w.explanation}` : ''}${w.source !== 'minmax' && image.voiLutFunction !== 'LINEAR' ? `, ${image.voiLutFunction}` : ''})${image.inverted ? ', inverted' : ''}`;
}

async function keyImagesSection(flow: PageFlow, doc: PDFDocument, images: KeyImage[]): Promise<void> {
  if (images.length === 0) return;
  flow.heading('Key images');
  const cell = (CONTENT_WIDTH - KEY_IMAGE_GAP * (KEY_IMAGES_PER_ROW - 1)) / KEY_IMAGES_PER_ROW;
  const captionStyle: TextStyle = { size: 8 };
  for (let start = 0; start < images.length; start += KEY_IMAGES_PER_ROW) {
    const row = images.slice(start, start + KEY_IMAGES_PER_ROW);
    const captions = row.map((image, i) =>
      [
        ...flow.wrap(`${start + i + 1}. ${image.seriesDescription.trim() ? `${image.seriesDescription.trim()}, ` : ''}${image.modality}${image.seriesNumber !== null ? ` series ${image.seriesNumber}` : ''}`, cell, { ...captionStyle, bold: true }),
        ...flow.wrap(`Image ${image.frame + 1} of ${image.frames}${image.instanceNumber !== null ? `, instance ${image.instanceNumber}` : ''}; ${image.reason}`, cell, captionStyle),
        ...flow.wrap(windowText(image), cell, captionStyle),
      ],
    );
    const captionHeight = Math.max(...captions.map((c) => c.length)) * flow.lineHeight(captionStyle);
    flow.ensure(cell + captionHeight + 12);
    for (const [i, image] of row.entries()) {
      const x = MARGIN.left + i * (cell + KEY_IMAGE_GAP);
      const top = flow.y;
      flow.page.drawRectangle({ x, y: top - cell, width: cell, height: cell, color: rgb(0, 0, 0) });
      const embedded = await doc.embedPng(encodePng(image));
      // Square pixels assumed: the frame keeps its aspect ratio inside the square cell.
      const scale = Math.min(cell / image.pixels.columns, cell / image.pixels.rows);
      const width = image.pixels.columns * scale;
      const height = image.pixels.rows * scale;
      const ix = x + (cell - width) / 2;
      const iy = top - cell + (cell - height) / 2;
      flow.page.drawImage(embedded, { x: ix, y: iy, width, height });
      drawOverlays(flow, image, { x: ix, y: iy, width, height });
      let captionTop = top - cell - 4;
      const [titleLine, ...rest] = captions[i]!;
      captionTop -= flow.drawLines([titleLine ?? ''], x, { ...captionStyle, bold: true }, captionTop);
      flow.drawLines(rest, x, captionStyle, captionTop);
    }
    flow.y -= cell + captionHeight + 16;
  }
}

/** Measurement outlines over the image, numbered as in the measurements table (vector, so the pixels stay untouched). */
function drawOverlays(flow: PageFlow, image: KeyImage, box: { x: number; y: number; width: number; height: number }): void {
  const toPage = ([column, row]: [number, number]) => ({
    x: box.x + ((column + 0.5) / image.sourceColumns) * box.width,
    y: box.y + box.height - ((row + 0.5) / image.sourceRows) * box.height,
  });
  const inside = ([column, row]: [number, number]) => column >= -0.5 && row >= -0.5 && column <= image.sourceColumns - 0.5 && row <= image.sourceRows - 0.5;
  for (const overlay of image.overlays) {
    // Points off the frame (a measurement saved from another plane) are not drawn outside the image.
    if (!overlay.points.every(inside)) continue;
    const points = overlay.points.map(toPage);
    const stroke = { thickness: 0.9, color: OVERLAY };
    if (overlay.kind === 'rectangle' || overlay.kind === 'ellipse') {
      const [a, b] = [points[0]!, points[1] ?? points[0]!];
      const x = Math.min(a.x, b.x);
      const y = Math.min(a.y, b.y);
      const width = Math.abs(a.x - b.x);
      const height = Math.abs(a.y - b.y);
      if (overlay.kind === 'rectangle') flow.page.drawRectangle({ x, y, width, height, borderColor: OVERLAY, borderWidth: 0.9 });
      else flow.page.drawEllipse({ x: x + width / 2, y: y + height / 2, xScale: width / 2, yScale: height / 2, borderColor: OVERLAY, borderWidth: 0.9 });
    } else if (overlay.kind === 'probe') {
      flow.page.drawCircle({ x: points[0]!.x, y: points[0]!.y, size: 2.5, borderColor: OVERLAY, borderWidth: 0.9 });
    } else {
      for (let i = 1; i < points.length; i++) flow.page.drawLine({ start: points[i - 1]!, end: points[i]!, ...stroke });
    }
    const anchor = points[0]!;
    flow.page.drawText(String(overlay.number), { x: anchor.x + 3, y: anchor.y + 3, size: 8, font: flow.fonts.bold, color: OVERLAY });
  }
}

const KIND_NAMES = { length: 'Length', angle: 'Angle', rectangle: 'Rectangle ROI', ellipse: 'Ellipse ROI', probe: 'Probe' } as const;

function measurementsSection(flow: PageFlow, input: ReportInput): void {
  flow.heading('Measurements');
  if (input.measurements.length === 0) {
    flow.paragraph('No measurements are saved with this study.', { color: MUTED });
    return;
  }
  flow.table(
    [
      { title: '#', width: 0.05 },
      { title: 'Measurement', width: 0.15 },
      { title: 'Label', width: 0.17 },
      { title: 'Value', width: 0.3 },
      { title: 'Image', width: 0.33 },
    ],
    input.measurements.map(({ measurement: m, image }, i) => [
      String(i + 1),
      KIND_NAMES[m.kind],
      m.label,
      measurementValueText(m),
      m.calibrationNote && m.calibrationNote !== 'pixels' ? `${image}. ${m.calibrationNote}` : m.calibrationNote === 'pixels' ? `${image}. Not calibrated: lengths in pixels.` : image,
    ]),
  );
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

function findingText(f: ReportAiFinding): string[] {
  const a = f.analysis;
  const label = f.positiveLabel ?? Object.keys(a.probabilities).at(-1) ?? '';
  const p = a.probabilities[label];
  const lines = [
    `Finding: ${label || '-'}; probability ${p === undefined ? '-' : `${p.toFixed(4)} (${percent(p)})`} against the threshold ${a.threshold.toFixed(4)}: prediction "${a.prediction}".`,
    a.ood
      ? a.ood.outside
        ? `Out-of-distribution check: OUTSIDE the intended input (score ${a.ood.score.toFixed(4)}). The prediction is not reliable for this image.`
        : `Out-of-distribution check: within the intended input (score ${a.ood.score.toFixed(4)}).`
      : 'Out-of-distribution check: none shipped with this model.',
    `Model ${a.model} ${a.version}, run on ${a.provider} at ${a.createdAt} (${Math.round(a.ms)} ms). Image: ${f.image}.`,
  ];
  return lines;
}

function aiSection(flow: PageFlow, input: ReportInput): void {
  flow.heading('AI findings');
  if (input.findings.length === 0) {
    flow.paragraph('No AI analysis is saved with this study.', { color: MUTED });
    return;
  }
  const cards = new Map<string, NonNullable<ReportAiFinding['modelCard']>>();
  for (const [i, finding] of input.findings.entries()) {
    flow.ensure(60);
    flow.paragraph(`${i + 1}. ${finding.modelCard?.name ?? finding.analysis.model}`, { size: 10, bold: true });
    for (const line of findingText(finding)) flow.paragraph(line, { size: 9 }, 10);
    flow.y -= 4;
    if (finding.modelCard) cards.set(`${finding.analysis.model} ${finding.analysis.version}`, finding.modelCard);
  }
  for (const [id, card] of cards) {
    flow.ensure(80);
    flow.y -= 4;
    flow.paragraph(`Model card: ${card.name} (${id})`, { size: 10, bold: true });
    flow.paragraph(`Intended use: ${card.intendedUse}`, { size: 8.5 }, 10);
    flow.paragraph(`Training data: ${card.trainingData.name}. Source: ${card.trainingData.source}. Licence: ${card.trainingData.license}.`, { size: 8.5 }, 10);
    if (card.validation) {
      const metrics = Object.entries(card.validation.metrics)
        .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
        .join(', ');
      flow.paragraph(`Validation (${card.validation.set}): ${metrics}.`, { size: 8.5 }, 10);
    }
    if (card.oodMethod) flow.paragraph(`Out-of-distribution guard: ${card.oodMethod}.`, { size: 8.5 }, 10);
    flow.paragraph(card.disclaimer, { size: 8.5, bold: true, color: WARNING }, 10);
  }
}

function footers(doc: PDFDocument, fonts: Fonts, input: ReportInput): void {
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const y = MARGIN.bottom - 28;
    page.drawLine({ start: { x: MARGIN.left, y: y + 12 }, end: { x: PAGE.width - MARGIN.right, y: y + 12 }, thickness: 0.5, color: RULE });
    page.drawText(`Lumen ${input.lumenVersion} - generated ${input.generatedAt} - ${REPORT_DISCLAIMER}`, { x: MARGIN.left, y, size: 7.5, font: fonts.regular, color: MUTED });
    const number = `Page ${i + 1} of ${pages.length}`;
    page.drawText(number, { x: PAGE.width - MARGIN.right - fonts.regular.widthOfTextAtSize(number, 7.5), y, size: 7.5, font: fonts.regular, color: MUTED });
  });
}

/**
 * The printable study report (A4 PDF): header, key images with their window, measurements, AI findings
 * with the model card, the disclaimer on every page. Pure: no file, network or clock access; fonts are
 * the PDF standard fonts (nothing embedded from the system), so it renders the same everywhere.
 */
export async function renderStudyReport(input: ReportInput): Promise<Uint8Array> {
  return (await renderStudyReportPages(input)).bytes;
}

/** renderStudyReport with the number of pages it laid out. */
export async function renderStudyReportPages(input: ReportInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  const fonts: Fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const generated = new Date(input.generatedAt);
  // No patient data in the document information: a file list or indexer shows the UID only.
  doc.setTitle(input.header.deidentified ? 'Lumen study report (de-identified)' : `Lumen study report ${input.header.studyInstanceUid}`);
  doc.setProducer(`Lumen ${input.lumenVersion} (pdf-lib)`);
  doc.setCreator('Lumen');
  doc.setSubject(REPORT_DISCLAIMER);
  if (!Number.isNaN(generated.getTime())) {
    doc.setCreationDate(generated);
    doc.setModificationDate(generated);
  }
  const flow = new PageFlow(doc, fonts);
  headerSection(flow, input);
  await keyImagesSection(flow, doc, input.keyImages);
  measurementsSection(flow, input);
  aiSection(flow, input);
  if (input.notes.length > 0) {
    flow.heading('Notes');
    for (const note of input.notes) flow.paragraph(`- ${note}`, { size: 8.5 });
  }
  flow.ensure(40);
  flow.y -= 10;
  flow.paragraph(`${REPORT_DISCLAIMER} This report was produced by Lumen on this workstation; it is not a diagnosis and does not replace reading the images.`, { size: 9, bold: true, color: WARNING });
  footers(doc, fonts, input);
  return { bytes: await doc.save(), pages: doc.getPageCount() };
}
