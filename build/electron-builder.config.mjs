// electron-builder configuration for every installer a hospital deploys. Offline here only the `dir` and
// `tar.gz` Linux targets build (see ../shared/docs/TOOLCHAIN.md); the rest build on a connected machine,
// see README "Building the installers". Signing material comes only from the environment (CSC_LINK,
// CSC_KEY_PASSWORD, APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID, ...), never from this file.
import { existsSync, readdirSync } from 'node:fs';
import { BUILD_ONLY_PACKAGES, BUNDLED_INTO_RENDERER, packageGlob } from './shipping.mjs';
import { DEB_DEPENDS, DEB_MAINTAINER } from './deb/debianPackage.mjs';

/**
 * Each model folder that has a manifest, named one by one: walking all of models/ would also walk
 * models/training (datasets, checkpoints), which never ships.
 */
export const shippedModels = () =>
  readdirSync('models', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`models/${entry.name}/manifest.json`))
    .map((entry) => entry.name)
    .sort();

/** onnxruntime-node ships every platform's binaries; each package keeps only its own OS and arch. */
const filesFor = (os) => [
  ...appFiles,
  ...['darwin', 'linux', 'win32'].filter((other) => other !== os).map((other) => `!node_modules/onnxruntime-node/bin/napi-v*/${other}/**`),
  `!node_modules/onnxruntime-node/bin/napi-v*/${os}/!(\${arch})/**`,
];

/**
 * What goes into app.asar. Each platform gets the whole list plus its onnxruntime filter: electron-builder
 * turns a platform `files` list holding only exclusions into `**\/*` (everything, models/training included).
 */
const appFiles = [
  'package.json',
  'out/main/**',
  'out/preload/**',
  'out/renderer/**',
  'out/build-info.json',
  // Source maps can carry absolute build-machine paths; tests, sources and docs are not runtime files.
  '!**/*.map',
  '!**/*.{ts,tsx,mts,cts}',
  '!**/*.d.ts',
  '!**/{test,tests,__tests__,example,examples,docs,.github}/**',
  '!**/*.{md,MD,markdown}',
  '!**/{CHANGELOG,HISTORY,AUTHORS}*',
  ...BUILD_ONLY_PACKAGES.map((name) => `!${packageGlob(name)}`),
  ...BUNDLED_INTO_RENDERER.map((name) => `!${packageGlob(name)}`),
];

/** @type {import('electron-builder').Configuration} */
export default {
  appId: 'invalid.lumen.workstation',
  productName: 'Lumen',
  executableName: 'lumen',
  copyright: 'Lumen contributors. For research use only. Not a medical device.',
  directories: { output: 'dist', buildResources: 'build/resources' },
  // Product, version, OS and architecture in every artifact name.
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  // Everything is built before packaging (npm run build, build/thirdParty.mjs); there is nothing to compile.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  asar: true,
  // N-API binaries and WASM must be real files: native code (and Emscripten in worker threads) cannot
  // read inside an asar archive. Electron's fs serves them from app.asar.unpacked under the same paths.
  asarUnpack: ['node_modules/onnxruntime-node/bin/**', '**/*.wasm'],
  extraResources: [
    // Models stay plain files so IT (and `lumen doctor`) can check them against their manifests.
    ...shippedModels().map((id) => ({ from: `models/${id}`, to: `models/${id}`, filter: ['model.onnx', 'ood.onnx', 'manifest.json'] })),
    // Third-party notices and the CycloneDX SBOM, written by build/thirdParty.mjs.
    { from: 'out/third-party', to: 'licenses', filter: ['**/*'] },
  ],
  // Writes resources/lumen-integrity.json: the sha256 of every packaged file, for `lumen doctor`.
  afterPack: './build/afterPack.mjs',
  publish: null,

  linux: {
    target: ['dir', 'tar.gz', 'deb', 'rpm', 'AppImage'],
    category: 'MedicalSoftware;Science',
    icon: 'build/icons',
    synopsis: 'Offline diagnostic imaging workstation (research use only)',
    maintainer: DEB_MAINTAINER,
    vendor: 'Lumen',
    files: filesFor('linux'),
    extraResources: [{ from: 'build/resources/linux/lumen-cli', to: 'bin/lumen-cli' }],
  },
  deb: { depends: [...DEB_DEPENDS], packageCategory: 'science', priority: 'optional' },
  rpm: { depends: ['gtk3', 'nss', 'libXScrnSaver', 'libXtst', 'xdg-utils', 'at-spi2-core', 'libuuid', 'libsecret', 'alsa-lib', 'mesa-libgbm'] },

  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ],
    icon: 'build/icons/icon.png',
    files: filesFor('win32'),
    extraResources: [{ from: 'build/resources/win/lumen-cli.cmd', to: 'bin/lumen-cli.cmd' }],
    // Authenticode with CSC_LINK / CSC_KEY_PASSWORD (or WIN_CSC_LINK) from the environment.
    signtoolOptions: { signingHashAlgorithms: ['sha256'], publisherName: process.env.LUMEN_WIN_PUBLISHER ? [process.env.LUMEN_WIN_PUBLISHER] : undefined },
  },
  nsis: {
    // Per-machine into Program Files; `/S` installs silently, `/D=<dir>` (last argument) chooses the folder.
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    runAfterFinish: false,
    deleteAppDataOnUninstall: false,
  },
  msi: {
    // For Group Policy / SCCM: `msiexec /i Lumen-<v>-win-x64.msi /qn APPLICATIONFOLDER="D:\Lumen"`.
    oneClick: false,
    perMachine: true,
    runAfterFinish: false,
    createDesktopShortcut: true,
    upgradeCode: '6f1d3c2e-3b5a-4c8e-9a61-2f4d8b7c0e15',
  },

  mac: {
    target: [{ target: 'dmg', arch: ['arm64', 'x64'] }],
    category: 'public.app-category.medical',
    icon: 'build/icons/icon.png',
    files: filesFor('darwin'),
    extraResources: [{ from: 'build/resources/mac/lumen-cli', to: 'bin/lumen-cli' }],
    hardenedRuntime: true,
    entitlements: 'build/resources/mac/entitlements.plist',
    entitlementsInherit: 'build/resources/mac/entitlements.plist',
    // Signing identity from CSC_LINK/CSC_KEY_PASSWORD (or the keychain); notarisation when the Apple
    // credentials are in the environment. Without them the dmg is unsigned and says so in the build log.
    notarize: Boolean(process.env.APPLE_TEAM_ID && (process.env.APPLE_API_KEY || process.env.APPLE_ID)),
  },
  dmg: { sign: false },
};
