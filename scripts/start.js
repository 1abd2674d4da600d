/**
 * `npm start [-- --role=web]`, `npm run cli -- …`, `npm run zalo-sandbox -- …`: runs the compiled server
 * (dist/) with plain Node, building it first when it is missing or older than its sources.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, SERVER_DIST } from './build.js';

/** @type {Record<string, string>} */
const ENTRIES = { main: 'main.js', cli: 'cli/main.js', 'zalo-sandbox': 'zalo-sandbox/standalone.js' };

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  // Older Nodes fail in obscure ways (a native module can crash the process): say what is needed instead.
  process.stderr.write(
    `Node 22.12 or newer is needed (24 LTS, see .nvmrc); this is Node ${process.versions.node}.\n`,
  );
  process.exit(1);
}

const [, , first, ...rest] = process.argv;
const named = first !== undefined && Object.hasOwn(ENTRIES, first);
const entry = path.join(SERVER_DIST, ENTRIES[named ? first : 'main'] ?? 'main.js');
const args = named ? rest : process.argv.slice(2);

try {
  ensureBuild({ log: (line) => process.stderr.write(`${line}\n`) });
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
// Stack traces point at the TypeScript sources (dist/ carries source maps).
process.setSourceMapsEnabled(true);
// The entry sees the command line it would have as `node dist/<entry> …` (the CLI checks argv[1]).
process.argv = [process.argv[0] ?? process.execPath, entry, ...args];
await import(pathToFileURL(entry).href);
