import type { StatusCode } from '../contracts/statuses.ts';

/**
 * The action of our own lifecycle that enters each national status. An external system's status is journaled
 * under it, so that the citizen gets the message an own-desk agency's step would send (the template registry
 * picks `action.<action>` first, e.g. the supplement template) and the history reads the same.
 */
const ENTERING: Record<StatusCode, string> = {
  1: 'submit',
  2: 'receive',
  3: 'refuse',
  4: 'start_processing',
  5: 'request_supplement',
  6: 'request_payment',
  7: 'request_withdrawal',
  8: 'stop',
  9: 'complete',
  10: 'return_result',
};

export function actionEntering(status: number): string {
  return ENTERING[status as StatusCode] ?? 'external_status';
}

/** Statuses that end processing (finished_at is set when entered). */
export const FINAL_STATUSES = [3, 8, 9, 10];
/** Statuses that wait for the citizen (the clock is paused). */
export const WAITING_STATUSES = [5, 6];
