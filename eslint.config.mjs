// @ts-check
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.data/',
      '.tools/',
      'coverage/',
      'dist/',
      'prisma/generated/',
      'eslint.config.mjs',
      'jest.config.js',
      'jest.faults.config.js',
      'scripts/bootstrap.mjs',
      'test/support/summary-reporter.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Workflow code is replayed and must be deterministic: no Node APIs, and I/O libraries and
    // side-effect modules only as types (DESIGN.md section 3).
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    ignores: ['domain/crypto.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow-kod får inte använda Node-API:er.' })),
          patterns: [
            {
              group: [
                '@prisma/*',
                'nodemailer',
                'pg',
                '**/store/*',
                '**/activities',
                '**/activities/*',
                '**/platform/*',
                '**/domain/crypto',
              ],
              allowTypeImports: true,
              message: 'Bara som typ i workflow-kod: I/O hör hemma i activities.',
            },
          ],
        },
      ],
    },
  },
);
