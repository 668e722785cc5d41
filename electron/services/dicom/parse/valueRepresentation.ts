/** PS3.5 Table 6.2-1. */
export const VALID_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** VRs with a reserved 2 bytes and a 32-bit length in Explicit VR (PS3.5 7.1.2). */
export const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * The VR whose two code bytes are `first`, `second`, or undefined for an invalid code. A table lookup
 * instead of building a string and testing a set: the explicit VR of every element of every file an
 * import indexes goes through here.
 */
export function vrFromCode(first: number, second: number): string | undefined {
  return VR_BY_CODE[(first << 8) | second];
}

const VR_BY_CODE: Array<string | undefined> = new Array<string | undefined>(0x10000).fill(undefined);
for (const vr of VALID_VRS) VR_BY_CODE[(vr.charCodeAt(0) << 8) | vr.charCodeAt(1)] = vr;
