import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** The lazy screen every desk officer lands on after signing in (router.tsx, LoginPage). */
const FIRST_SCREEN = '/pages/intake/IntakePage.tsx';

/**
 * Adds `<link rel="modulepreload">` for the intake screen's chunks to index.html. The screen is loaded on
 * demand (router.tsx), so without this its code is only requested once the entry has run: one more round
 * trip and the compile after it, in series. Preloaded, it downloads and compiles beside the entry, and the
 * login page has it ready for the moment after "Đăng nhập".
 */
function preloadFirstScreen(): Plugin {
  return {
    name: 'motcua-preload-first-screen',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = new Map(
          Object.values(bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
        );
        const closure = (fileName: string, into: Set<string>) => {
          if (!into.has(fileName)) {
            into.add(fileName);
            for (const dep of chunks.get(fileName)?.imports ?? []) {
              closure(dep, into);
            }
          }
          return into;
        };
        const entry = [...chunks.values()].find((c) => c.isEntry);
        const screen = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith(FIRST_SCREEN));
        if (!entry || !screen) {
          throw new Error(`preloadFirstScreen: no entry chunk or no chunk for ${FIRST_SCREEN}`);
        }
        const already = closure(entry.fileName, new Set());
        return [...closure(screen.fileName, new Set())]
          .filter((f) => !already.has(f))
          .map((f) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` },
            injectTo: 'head' as const,
          }));
      },
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), preloadFirstScreen()],
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
