// ESLint flat config: typed TypeScript rules, React hooks, accessibility, and the one
// architectural rule this codebase lives by: UI code never imports tfjs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  { files: ['src/**/*.tsx'], ...jsxA11y.flatConfigs.strict },
  // The drawing pad is an "application": ARIA's role for a widget that takes its own keys, and so the focus.
  // A scrolling "region" (the Keras log, the code, the classification report) takes the focus so the keys can scroll it.
  { files: ['src/**/*.tsx'], rules: { 'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['tabpanel', 'application', 'region'], tags: [] }] } },
  // Compare's table turns into cards on a phone (display: block/flex), which makes some browsers
  // (Safari) drop a table's implicit roles: it states them, as a table's own would be.
  {
    files: ['src/components/CompareTable.tsx'],
    rules: {
      'jsx-a11y/no-redundant-roles': ['error', { table: ['table'], thead: ['rowgroup'], tbody: ['rowgroup'], tr: ['row'], th: ['columnheader', 'rowheader'], td: ['cell'] }],
      'jsx-a11y/no-interactive-element-to-noninteractive-role': ['error', { td: ['cell'] }],
    },
  },
  {
    files: ['src/components/**', 'src/store/**', 'src/data/**', 'src/main.tsx', 'src/App.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['@tensorflow/*'],
          message: 'tfjs belongs to src/training (the worker); the UI and the data layer only talk to it through the typed protocol.',
        }],
      }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
