import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: {
    alias: {
      '@contracts': path.resolve(import.meta.dirname, '../src/contracts'),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      treeshake: {
        // The shared contracts hold zod schemas beside pure rules the screens use; a schema is only a value
        // (`z.object(…)` has no side effect), so one the app never reads is dropped and zod stays out of the
        // screens that do not validate with it.
        manualPureFunctions: ['z'],
      },
    },
  },
  server: {
    port: 5173,
    // Everything the server renders itself goes to it; the rest is the officer app.
    proxy: Object.fromEntries(
      ['/api', '/docs', '/tra-cuu', '/qrcode', '/sandbox', '/webhooks'].map((p) => [
        p,
        'http://127.0.0.1:3000',
      ]),
    ),
  },
});
