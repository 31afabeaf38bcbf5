// Types for every query in src/ from the committed schema (../schema.graphql). The output in
// src/gql/ is generated, never edited, and not committed: `npm run codegen` makes it. Enums are
// generated as values too (`enumType: 'const'`, this codegen's successor of `enumsAsConst`), so
// that every closed list a form offers is the schema's own (src/keuzelijsten.ts).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  // The schema as written, not sorted: the forms offer an enum's values in the schema's order.
  config: { sort: false },
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumType: 'const',
        useTypeImports: true,
        scalars: { NaiveDate: 'string', DateTime: 'string', JSON: 'Record<string, unknown>' },
      },
    },
  },
};

export default config;
