// Types for every query in src/ from the committed schema (../schema.graphql). The output in
// src/gql/ is generated, never edited, and not committed: `npm run codegen` makes it.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { NaiveDate: 'string', DateTime: 'string', JSON: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
