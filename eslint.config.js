// berth's linter: typescript-eslint's recommended rules, the layering rule (lint/layers.js) and a
// bound on function length. Style (line length, quotes, spacing) is prettier's job, not this file's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import berth from './lint/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'cdktf.out/**', '.berth/**', 'coverage/**', 'src/sandbox/moto/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    plugins: { berth },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'berth/layers': 'error',
      // Aim under 60 lines; never over 100. An exception says why in its eslint-disable comment.
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: false, skipComments: false, IIFEs: true }],
      // TypeScript reports undefined names in .ts; the few .js/.mjs files run on Node.
      'no-undef': 'off',
      // A leading underscore marks a name kept on purpose (an ignored argument, a left-out property).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `(a = 1), b++` in one statement (as prettier prints it) is a style, not a bug.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    // describe/it blocks are long by nature (a test's length is not a function's); tests cast
    // recorded API responses and mutated documents freely.
    files: ['test/**', 'bench/**'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { 'max-lines-per-function': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
