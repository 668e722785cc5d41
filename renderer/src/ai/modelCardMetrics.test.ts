import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../../shared/domain/modelManifest';
import { formatMetric, metricGroups } from './modelCardMetrics';

const manifestOf = (id: string) => ModelManifestSchema.parse(JSON.parse(readFileSync(path.join(__dirname, '../../../models', id, 'manifest.json'), 'utf8')));

describe('the model card metrics', () => {
  it('formats counts as integers and rates to four decimals', () => {
    expect(formatMetric(670)).toBe('670');
    expect(formatMetric(0.99843)).toBe('0.9984');
    expect(formatMetric(0.5)).toBe('0.5');
  });

  it('shows the progression model beside both baselines of its cross-validation, with every figure', () => {
    const manifest = manifestOf('oasis-progression');
    const groups = metricGroups(manifest.metrics);
    const cv = groups.find((g) => g.title.startsWith('Cross-validation'));
    expect(cv?.kind).toBe('table');
    if (cv?.kind !== 'table') return;
    expect(cv.rows.map((r) => r.name)).toEqual(Object.keys(manifest.metrics['cv']!));
    const transformer = (manifest.metrics['cv'] as Record<string, Record<string, number>>)['transformer']!;
    const row = cv.rows.find((r) => r.name === 'transformer')!;
    expect(row.cells[cv.columns.indexOf('auc')]).toBe(formatMetric(transformer['auc']!));
    expect(cv.columns).toEqual(Object.keys(transformer));
    const point = groups.find((g) => g.title === 'Operating point');
    expect(point?.kind === 'set' && point.values.find(([k]) => k === 'threshold')?.[1]).toBe(formatMetric(manifest.threshold));
  });

  it('keeps all of a flat set, in the manifest order', () => {
    const manifest = manifestOf('cxr-pneumonia');
    const val = metricGroups(manifest.metrics).find((g) => g.title === 'Validation');
    expect(val?.kind === 'set' && val.values.map(([k]) => k)).toEqual(Object.keys(manifest.metrics['val']!));
  });
});
