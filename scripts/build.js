/**
 * `npm run build`: compiles the server (src/ → dist/, JavaScript for plain Node) and builds the officer app
 * (web/ → web/dist, each text asset precompressed). `npm start` and `npm test` call ensureBuild(), which
 * rebuilds only what is missing or older than its sources; `npm run build` (--force) rebuilds both.
 *
 * Plain JavaScript, so that it runs before anything is compiled and on a production install
 * (`npm ci --omit=dev`), which has no TypeScript or Vite: there a build shipped with the install is used
 * as it is, and a missing one is reported.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
/** Where the compiled server goes: dist/main.js is src/main.ts. */
export const SERVER_DIST = path.join(root, 'dist');
const serverStamp = path.join(SERVER_DIST, '.build-stamp');
const webIndex = path.join(root, 'web/dist/index.html');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const vite = path.join(root, 'node_modules/vite/bin/vite.js');

/** Source files that are not compiled but belong to the server (the PDF fonts and their licence). */
const isServerAsset = (/** @type {string} */ file) =>
  !file.endsWith('.ts') && !file.includes(`${path.sep}test-support${path.sep}`);

/**
 * Builds what is missing or stale. `force` rebuilds both parts; `log` receives a line per part built.
 * @param {{ force?: boolean; log?: (line: string) => void }} [options]
 */
export function ensureBuild(options = {}) {
  const force = options.force ?? false;
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const serverSources = () =>
    Math.max(
      newest(path.join(root, 'src')),
      mtime(path.join(root, 'tsconfig.json')),
      mtime(path.join(root, 'tsconfig.build.json')),
      mtime(path.join(root, 'package-lock.json')),
    );
  if (needsBuild(force, serverStamp, path.join(root, 'src'), serverSources, tsc, 'the server (dist/)')) {
    log('Compiling the server (dist/)…');
    rmSync(SERVER_DIST, { recursive: true, force: true });
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    cpSync(path.join(root, 'src'), SERVER_DIST, {
      recursive: true,
      filter: (from) => statSync(from).isDirectory() || isServerAsset(from),
    });
    writeFileSync(serverStamp, `${new Date().toISOString()}\n`);
  }

  const webSources = () =>
    Math.max(
      newest(path.join(root, 'web/src')),
      newest(path.join(root, 'src/contracts')),
      mtime(path.join(root, 'web/index.html')),
      mtime(path.join(root, 'web/vite.config.ts')),
      mtime(path.join(root, 'package-lock.json')),
    );
  if (
    needsBuild(force, webIndex, path.join(root, 'web/src'), webSources, vite, 'the officer app (web/dist)')
  ) {
    log('Building the officer app (web/dist)…');
    execFileSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    // After a bare `vite build` web/dist would be newer than its sources but without the precompressed
    // files, and the screens would then be sent uncompressed: this is the only way the app is built.
    precompress(path.join(root, 'web/dist'));
  }
}

/**
 * Whether a part must be built: forced, missing, or older than its sources. Without the sources (a deployed
 * artefact) or without the build tool (a production install), what is there is used as it is.
 * @param {boolean} force
 * @param {string} output
 * @param {string} sourceDir
 * @param {() => number} sources
 * @param {string} tool
 * @param {string} what
 */
function needsBuild(force, output, sourceDir, sources, tool, what) {
  const built = existsSync(output);
  if (!existsSync(sourceDir) || (built && !force && mtime(output) >= sources())) {
    return false;
  }
  if (!existsSync(tool)) {
    if (built) {
      return false;
    }
    throw new Error(
      `${what} is not built and this installation has no build tools (npm ci --omit=dev): ` +
        'run `npm ci && npm run build` first, or deploy the container image',
    );
  }
  return true;
}

/** @param {string} file */
function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** @param {string} dir */
function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) {
    return latest;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return latest;
}

/**
 * Writes .br and .gz next to each text asset once, so the server sends them without compressing per request.
 * @param {string} dir
 */
function precompress(dir) {
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureBuild({ force: process.argv.includes('--force') });
}
