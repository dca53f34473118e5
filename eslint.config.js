// Lint for correctness, not taste: Prettier owns the layout (see .prettierrc.json).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'man/**', 'test/corpus/**', 'test/fixtures/**', 'oclif.manifest.json']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', {allowEmptyCatch: true}],
      // xctl finds and escapes control characters on purpose (terminal safety, JUnit XML, YAML input checks).
      'no-control-regex': 'off',
      'max-len': [
        'error',
        {code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true},
      ],
    },
  },
  {
    // Functions say one thing; past ~60 lines they get split (tests and benchmarks are scripts, not functions).
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    rules: {'max-lines-per-function': ['error', {max: 60, skipBlankLines: true, skipComments: true}]},
  },
  {
    // The API test server handles arbitrary JSON bodies.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        module: 'writable',
        require: 'readonly',
      },
    },
  },
)
