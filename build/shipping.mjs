// What of the production dependency tree ships, and where. One list for the electron-builder
// configuration, the SBOM/notices generator and the packaging tests, so they cannot disagree.

/**
 * Production dependencies that never run in an installed copy: tsx (and the esbuild it drives) only runs
 * the TypeScript CLI and worker sources in a checkout (the package runs the esbuild bundles in out/main);
 * @rollup/* is a native build tool that jpeg-lossless-decoder-js lists as a dependency by mistake.
 * They are left out of the package, the SBOM and the notices.
 */
export const BUILD_ONLY_PACKAGES = ['tsx', 'esbuild', '@esbuild/*', '@rollup/*', 'get-tsconfig', 'resolve-pkg-maps'];

/**
 * Renderer libraries: Vite bundles them into out/renderer, so their node_modules copies are not packed.
 * They ship (inside the bundle) and stay in the SBOM and the notices.
 */
export const BUNDLED_INTO_RENDERER = ['react', 'react-dom', 'scheduler', 'zustand', '@kitware/vtk.js'];

/** `name` or `@scope/*` to the glob of its folder under node_modules. */
export const packageGlob = (name) => `node_modules/${name.endsWith('/*') ? name.slice(0, -2) : name}/**`;

/** True when an npm package name is matched by one of the names above (`@scope/*` matches a scope). */
export function matchesPackage(name, list) {
  return list.some((entry) => (entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : name === entry));
}
