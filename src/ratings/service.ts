import type { Selectable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import { installationId } from '../zalo/index.ts';
import { dossierOfZaloMessage, findRatable, invitationOfJournal, raiseFollowUp, saveRating } from './repo.ts';
import {
  COMMENT_MAX,
  LOW_RATING_MAX,
  normaliseReasons,
  type RatingReason,
  ratingRefusal,
  ratingUrl,
} from './rules.ts';

export interface RatingInput {
  code: string;
  stars: number;
  reasons: readonly string[];
  comment: string;
  channel: 'zalo' | 'web';
  zaloMsgId?: string | null;
}

export type RatingOutcome =
  | { outcome: 'recorded' | 'replaced'; stars: number; reasons: RatingReason[] }
  | { outcome: 'not_found' }
  | { outcome: 'not_invited' | 'closed' | 'replace_window_over' };

/**
 * Records a citizen's rating of a dossier, in one transaction: accepted once the dossier ended (it has an
 * invitation), replacing the earlier rating within REPLACE_WITHIN_DAYS of the first, and raising the leader's
 * follow-up item when it is low. Concurrent ratings of one dossier are serialised on the dossier row.
 */
export async function recordRating(
  app: AppContext,
  input: RatingInput,
  db: Queryable = app.db,
): Promise<RatingOutcome> {
  const run = async (tx: Queryable): Promise<RatingOutcome> => {
    const d = await findRatable(tx, input.code, true);
    if (!d) {
      return { outcome: 'not_found' };
    }
    const now = app.clock();
    const refusal = ratingRefusal(
      {
        invitedAt: d.invited_at ? new Date(d.invited_at) : null,
        firstRatedAt: d.first_rated_at ? new Date(d.first_rated_at) : null,
      },
      now,
    );
    if (refusal) {
      return { outcome: refusal };
    }
    const stars = Math.round(input.stars);
    const reasons = normaliseReasons(input.reasons);
    await saveRating(tx, {
      dossierId: d.id,
      stars,
      reasons,
      comment: cleanComment(input.comment),
      channel: input.channel,
      at: now,
      zaloMsgId: input.zaloMsgId ?? null,
    });
    if (stars <= LOW_RATING_MAX) {
      await raiseFollowUp(tx, d.id, now);
    }
    app.logger.info(
      { dossierId: d.id, channel: input.channel, replaced: d.first_rated_at !== null },
      'rating recorded',
    );
    return { outcome: d.first_rated_at ? 'replaced' : 'recorded', stars, reasons };
  };
  return db === app.db ? app.db.transaction().execute(run) : run(db);
}

/** Control characters out, whitespace runs kept sane, at most COMMENT_MAX characters. */
export function cleanComment(text: string): string {
  return [
    ...text
      .normalize('NFC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim(),
  ]
    .slice(0, COMMENT_MAX)
    .join('');
}

export const FEEDBACK_EVENT = 'user_feedback';

/**
 * Zalo's `user_feedback` (the citizen rated a type-5 "đánh giá dịch vụ" template message; fields in
 * docs/ratings.md): the message is matched to its dossier by `msg_id` or our `tracking_id`, and recorded as
 * that dossier's rating in the caller's transaction (the event's processing). Returns the event's outcome.
 */
export async function recordZaloFeedback(
  app: AppContext,
  tx: Queryable,
  stored: Selectable<ZaloEventTable>,
): Promise<string> {
  const m = ((stored.raw as Record<string, unknown>).message ?? {}) as Record<string, unknown>;
  const stars = Number(m.rate);
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) {
    return 'feedback:invalid';
  }
  const msgId = typeof m.msg_id === 'string' ? m.msg_id : '';
  const tracking = typeof m.tracking_id === 'string' ? m.tracking_id : '';
  const installation = await installationId(app);
  const ours = tracking.startsWith(`${installation}-`)
    ? Number(tracking.slice(installation.length + 1))
    : NaN;
  const dossier = await dossierOfZaloMessage(tx, msgId, Number.isSafeInteger(ours) ? ours : null);
  if (!dossier) {
    return 'feedback:unknown_message';
  }
  const feedbacks = Array.isArray(m.feedbacks) ? m.feedbacks.filter((f) => typeof f === 'string') : [];
  const result = await recordRating(
    app,
    {
      code: dossier.code,
      stars,
      reasons: feedbacks as string[],
      comment: typeof m.note === 'string' ? m.note : '',
      channel: 'zalo',
      zaloMsgId: msgId || null,
    },
    tx,
  );
  return `feedback:${result.outcome}`;
}

/** The signed rating link to put in a status change's messages, when that change is the one that invited. */
export async function ratingLinkOfJournal(
  app: AppContext,
  db: Queryable,
  journalId: number,
): Promise<string | null> {
  const invited = await invitationOfJournal(db, journalId);
  return invited
    ? ratingUrl(app.config.http.publicBaseUrl, app.config.secrets.lookupLink, invited.code)
    : null;
}
