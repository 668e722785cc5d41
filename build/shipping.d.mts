// Types for build/shipping.mjs (plain ESM so electron-builder and the build scripts load it without tsx).
export declare const BUILD_ONLY_PACKAGES: readonly string[];
export declare const BUNDLED_INTO_RENDERER: readonly string[];
export declare function packageGlob(name: string): string;
export declare function matchesPackage(name: string, list: readonly string[]): boolean;
