// ESLint for the whole repository: TypeScript with type information (typescript-eslint's
// project service reads tsconfig.json), React hooks for the site, plain JavaScript for the
// .mjs scripts and CommonJS for the .cjs ones. Formatting is Prettier's (prettier.config.mjs),
// not ESLint's.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['build/', 'dist/', '.docusaurus/', 'docs/generated/', 'notebooks/', 'test-artifacts/', 'static/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed parameters and destructured rests are deliberately unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS on purpose: preloaded into the tslab kernel with `node --require` (scripts/kernel/).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/site/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The package: browser-safe and dependency-free (CONTRIBUTING.md, Layout).
    files: ['src/core/**/*.ts', 'src/index.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.)', message: 'src/core imports only src/core: no packages, no Node built-ins.' },
            { group: ['**/node/**', '**/site/**', '**/tools/**', '**/test/**'], message: 'src/core imports only src/core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/core/**', 'src/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/tools/**', '**/test/**'], message: 'src/ never imports from tools/ or test/.' }] }],
    },
  },
  {
    // The site runs in browsers: of src/node it imports only the pure notebook modules that the
    // live notebook pages (src/site/live) share with the Node helpers.
    files: ['src/site/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/tools/**', '**/test/**'], message: 'src/ never imports from tools/ or test/.' },
            {
              regex: '/node/(?!notebook/(checkRecord|charts|pixels)$)',
              message: 'src/site imports from src/node only src/node/notebook/checkRecord, charts and pixels (pure, browser-safe).',
            },
          ],
        },
      ],
    },
  },
);
