import { readdirSync } from 'node:fs';
import os from 'node:os';
import type { Logger } from '../logger.ts';

/**
 * A worker-only node lowers its CPU priority to `nice` (WORKER_NICE) so that, on a host it shares with a web
 * node, the web node's answers to people and to Zalo's webhooks come first: measured on two cores, Zalo's
 * webhook acknowledgements went from a p99 of 21–27 ms to 11–20 ms while the worker was busiest, with no
 * loss on the worker's own figures (docs/benchmarks.md). It only ever lowers the priority; raising it
 * needs privileges and is not ours to take.
 */
export function giveWayToWebNodes(nice: number, logger: Logger): void {
  if (nice <= os.getPriority()) {
    return;
  }
  try {
    // Linux keeps a niceness per thread: every thread already running (V8's, libuv's) is lowered, and the
    // ones started later inherit it from their creator.
    for (const thread of threadIds()) {
      os.setPriority(thread, nice);
    }
    logger.info({ nice }, 'worker node: lower CPU priority than the web nodes');
  } catch (err) {
    logger.warn({ err, nice }, 'worker node: could not lower its CPU priority');
  }
}

function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    // Not Linux: the process as a whole.
    return [0];
  }
}
