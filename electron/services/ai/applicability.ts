import { LumenError } from '../../../shared/domain/errors';
import type { ModelManifest } from '../../../shared/domain/modelManifest';

/** What is known about an image before it is analysed. DICOM gives modality and body part; PNG/JPEG do not. */
export interface ImageFacts {
  source: 'dicom' | 'png/jpeg';
  modality?: string;
  /** Body Part Examined (0018,0015), when the file has it. */
  bodyPart?: string;
  samplesPerPixel?: number;
  frames?: number;
}

const norm = (s: string) => s.trim().toUpperCase();

/**
 * A model declares the images it fits (modalities, body parts, which preprocessing branches it has),
 * as an OHIF mode declares its studies. An image outside that is refused with the reason, rather than
 * given a confident number: a CT slice is not a chest radiograph.
 */
export function assertApplicable(manifest: ModelManifest, facts: ImageFacts): void {
  const refuse = (why: string) => {
    throw new LumenError('MODEL_NOT_APPLICABLE', `${manifest.name} does not apply to this image: ${why}`);
  };
  const branches = new Set(manifest.preprocessing.map((s) => String(s['appliesTo'] ?? 'all')));
  if (facts.source === 'png/jpeg') {
    if (!branches.has('png/jpeg')) refuse('the model only reads DICOM images, and this is a PNG or JPEG file.');
    return;
  }
  if (!branches.has('dicom')) refuse('the model has no DICOM preprocessing.');
  const modality = facts.modality ? norm(facts.modality) : '';
  const allowed = manifest.modalities.map(norm);
  if (!modality) refuse(`the DICOM file has no Modality; the model is for ${allowed.join(' or ')}.`);
  if (!allowed.includes(modality)) refuse(`it is a ${modality} image, and the model is for ${allowed.join(' or ')} images only.`);
  const bodyPart = facts.bodyPart ? norm(facts.bodyPart) : '';
  // Many radiographs leave Body Part Examined empty; only a body part that is present and different is refused.
  if (bodyPart && manifest.bodyParts.length > 0 && !manifest.bodyParts.map(norm).includes(bodyPart)) {
    refuse(`the body part is ${bodyPart}, and the model is for ${manifest.bodyParts.map(norm).join(' or ')}.`);
  }
  if (facts.samplesPerPixel !== undefined && facts.samplesPerPixel !== 1) refuse('it is a colour image, and the model reads greyscale radiographs.');
}
