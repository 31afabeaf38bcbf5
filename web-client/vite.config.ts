/// <reference types="vitest/config" />
// Vite builds the client into dist/, which `traject serve` serves at `/`. In development
// (`npm run dev`) the API calls go to a server on :8080; every other path is the client's.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/graphql/ws': { target: api, ws: true },
      '/graphql': api,
      '/auth': api,
      '/export': api,
      // The upload and its templates, not the screen /importeren.
      '^/import(/|\\?|$)': api,
      '/ready': api,
    },
  },
  build: { sourcemap: false, chunkSizeWarningLimit: 400 },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/setup.ts'],
  },
});
