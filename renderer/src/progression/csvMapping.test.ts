import { describe, expect, it } from 'vitest';
import { csvMappingFrom, emptyMapping } from './csvMapping';

const columns = {
  subject: 'Subject ID',
  day: 'MR Delay',
  visit: 'Visit',
  features: [
    { name: 'mmse', column: 'MMSE', unit: 'points 0-30' },
    { name: 'cdr', column: 'CDR', unit: 'CDR 0/0.5/1/2' },
  ],
};

describe('csvMappingFrom', () => {
  it('sends nothing for the manifest layout, blank or restated', () => {
    expect(csvMappingFrom(emptyMapping, columns)).toBeUndefined();
    expect(csvMappingFrom({ subject: 'Subject ID', day: ' MR Delay ', date: '', features: { mmse: 'MMSE' } }, columns)).toBeUndefined();
  });

  it('sends only what the user changed', () => {
    expect(csvMappingFrom({ subject: 'PatientID', day: '', date: 'ExamDate', features: { mmse: 'MMSE total', cdr: '' } }, columns)).toEqual({
      subjectColumn: 'PatientID',
      dateColumn: 'ExamDate',
      features: { mmse: 'MMSE total' },
    });
  });
});
