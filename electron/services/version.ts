import pkg from '../../package.json' with { type: 'json' };

export const LUMEN_VERSION: string = pkg.version;
