// Lint, including the dependency arrows of ARCHITECTURE.md:
//   renderer -> shared; electron/services -> shared; electron/main, electron/cli, e2e/harness -> services, shared;
//   nothing imports renderer but its own build; shared imports only zod; services never import electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'worker_threads', 'url', 'stream', 'zlib', 'events', 'module', 'process', 'util'];
const noRenderer = { group: ['**/renderer/**', '**/renderer'], message: 'Nothing imports the renderer but its own build.' };

/** Builds a no-restricted-imports rule from pattern groups. */
const restrict = (...patterns) => ['error', { patterns }];

export const dependencyRules = [
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    // unit tests of pure renderer modules run in Node (vitest) and may call reference tools
    ignores: ['renderer/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { group: ['**/electron/**', 'electron', 'electron/*'], message: 'The renderer reaches the back end only through renderer/src/api.' },
        { group: ['**/e2e/**'], message: 'The renderer does not import test hosts.' },
        { group: nodeBuiltins, message: 'The renderer is web content: no Node modules.' },
        { group: ['onnxruntime-node', 'ws', 'tsx'], message: 'Back-end packages stay out of the renderer.' },
      ),
      'no-restricted-globals': ['error', { name: 'require', message: 'No Node in the renderer.' }, { name: 'process', message: 'No Node in the renderer.' }],
    },
  },
  {
    // Only renderer/src/api reads window.lumen.
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/api/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'lumen', message: 'Only renderer/src/api reads window.lumen.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { group: ['**/electron/**', '**/e2e/**', '**/models/**', 'electron', 'electron/*'], message: 'shared imports nothing outside itself (and zod).' },
        noRenderer,
        { group: nodeBuiltins, message: 'shared is pure: it runs in the renderer too.' },
        { regex: '^(?!zod$|\\.)', message: 'shared imports only zod.' },
      ),
    },
  },
  {
    files: ['electron/services/**/*.ts', 'models/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { group: ['electron', 'electron/*'], message: 'Services are plain Node: they never import electron.' },
        { group: ['**/electron/main/**', '**/main/**', '**/electron/cli/**', '**/cli/**', '**/e2e/**'], message: 'Services do not import their hosts.' },
        noRenderer,
      ),
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'electron/cli/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noRenderer) },
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'e2e/results/**', 'models/training/**', '**/*.d.ts', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...dependencyRules,
);
