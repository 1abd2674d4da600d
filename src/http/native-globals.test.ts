import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * Loading a module must not replace built-ins every request relies on. pdfjs's legacy build did (core-js
 * polyfills of JSON.stringify, JSON.parse and Array.prototype.push) and slowed every JSON answer of the web
 * node. Checked in a fresh process: the test runner's own imports would hide it.
 */
describe('built-ins of a web and worker node', () => {
  it('stay native once the server and the worker modules are loaded', async () => {
    const script = `
      const natives = [JSON.stringify, JSON.parse, Array.prototype.push];
      await import('./src/http/server.ts');
      await import('./src/jobs/worker.ts');
      const now = [JSON.stringify, JSON.parse, Array.prototype.push];
      process.stdout.write(JSON.stringify(natives.map((f, i) => f === now[i])));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: path.resolve(import.meta.dirname, '../..') },
    );
    assert.deepEqual(JSON.parse(stdout), [true, true, true], 'JSON.stringify, JSON.parse, Array#push');
  });
});
