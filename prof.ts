import { parseDicomBytes } from './electron/services/dicom/parse/index';
import { readdirSync, openSync, readSync, closeSync } from 'node:fs';
const dir = '/work/shared/data/ct/chest-275/';
const files = readdirSync(dir).filter((f) => f.endsWith('.dcm'));
const heads = files.map((f) => { const fd = openSync(dir + f, 'r'); const b = new Uint8Array(65536); readSync(fd, b, 0, 65536, 0); closeSync(fd); return b; });
for (let r=0;r<40;r++){ for (const b of heads) parseDicomBytes(b, { headerOnly: true }); }
