/**
 * Builds the officer app when web/dist is missing or older than its sources, so `npm start` and `npm test`
 * always serve the current screens without rebuilding every time (`npm run build` passes --force). Each text
 * asset is written precompressed too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'web/dist/index.html');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return latest;
}

const sources = Math.max(
  newest(path.join(root, 'web/src')),
  newest(path.join(root, 'src/contracts')),
  statSync(path.join(root, 'web/index.html')).mtimeMs,
  statSync(path.join(root, 'web/vite.config.ts')).mtimeMs,
  statSync(path.join(root, 'package-lock.json')).mtimeMs,
);
// `npm run build` forces it: a bare `vite build` would leave web/dist newer than its sources but without the
// precompressed files, and the screens would then be sent uncompressed.
const forced = process.argv.includes('--force');
if (forced || !existsSync(built) || statSync(built).mtimeMs < sources) {
  process.stdout.write('Building the officer app (web/dist)…\n');
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  precompress(path.join(root, 'web/dist'));
}

/** Writes .br and .gz next to each text asset once, so the server sends them without compressing per request. */
function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(js|css|html|svg|json|txt)$/.test(entry.name)) {
      const file = path.join(entry.parentPath, entry.name);
      const data = readFileSync(file);
      writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(
        `${file}.br`,
        brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
}
