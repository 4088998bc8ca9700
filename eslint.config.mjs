// Lint for the TypeScript sources: typescript-eslint's type-aware recommended rules plus the house
// rules. Type-aware because callback-style grpc-js code is where a lost promise hides
// (no-floating-promises, no-misused-promises). Types come from each package's tsconfig.json.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/contracts/src/gen/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // Services log through pino; console output would bypass levels, redaction and JSON.
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // The floating and misused promises this config is for are errors in every file; spelled out
      // so that they stay on whatever the preset becomes.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: \`async\` is how a function keeps a promise-returning contract without awaiting
      // anything (a fastify plugin that neither returns a promise nor calls \`done\` never loads;
      // an interface method such as TlsFiles.loaded(); test doubles of async clients).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The deploy checks read k8s/ YAML as loose documents (support/manifests.ts, K8sObject): their
    // shape is proven against the upstream schemas by schemas.test.ts, and the policies read
    // fields of them. Member access on those documents is the point of these tests.
    files: ['packages/deploy-checks/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript is in no TypeScript project: no type information to lint with.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Build and tool scripts are plain CommonJS run by Node.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
