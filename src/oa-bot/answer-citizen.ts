import type { AppContext } from '../app-context.ts';
import { loadCalendar } from '../calendar/index.ts';
import {
  codeFromLookupUrl,
  findDossiersForLookup,
  maskName,
  presentLookup,
  WindowLimiter,
} from '../lookup/index.ts';
import { metricsOf } from '../operations/index.ts';
import { addHit } from '../rate-limit/index.ts';
import {
  callWithToken,
  getUserDetail,
  ReplyNotSent,
  sendConsultation,
  TokenUnavailable,
} from '../zalo/index.ts';
import { siteInfo } from '../zalo-oa/index.ts';
import {
  type BotReply,
  busyReply,
  followedReply,
  guideReply,
  parseCitizenText,
  statusReply,
  tooManyReply,
  unfollowedReply,
  unknownCodeReply,
  welcomeReply,
} from './bot-replies.ts';

/** Per app: the limiter of the bot's answers per second, all citizens together (remade when the limit changes). */
function overallLimit(): { current?: { limiter: WindowLimiter; perSecond: number } } {
  return {};
}

/**
 * The OA look-up bot: answers a follow with the welcome, a message with the status of every dossier code in
 * it, the hidden "follow / unfollow this dossier" commands of its own buttons, anything else (photos and stickers
 * included) with the guide. Every answer but the welcome counts against the user's per-minute limit.
 * Returns what it did (stored as the event's outcome).
 */
export async function answerCitizen(
  app: AppContext,
  eventName: string,
  event: Record<string, unknown>,
): Promise<string> {
  const userId =
    eventName === 'follow'
      ? String((event.follower as { id?: unknown } | undefined)?.id ?? '')
      : String((event.sender as { id?: unknown } | undefined)?.id ?? '');
  if (!userId) {
    return 'no_sender';
  }
  const site = await siteInfo(app);
  if (eventName === 'follow') {
    await reply(app, userId, welcomeReply(site.oaName, site.exampleCode));
    return 'welcomed';
  }
  const message = (event.message ?? {}) as {
    text?: unknown;
    attachments?: { payload?: { url?: unknown } }[];
  };
  let text = typeof message.text === 'string' ? message.text : '';
  if (eventName === 'user_send_link') {
    const url = message.attachments?.[0]?.payload?.url;
    const code = typeof url === 'string' ? codeFromLookupUrl(url, app.config.http.publicBaseUrl) : undefined;
    text = code ?? text;
  }
  const command = parseCitizenText(text.slice(0, 2000));
  const limits = app.config.lookup;
  const overall = app.caches.of(overallLimit);
  if (overall.current?.perSecond !== limits.botPerSecond) {
    overall.current = {
      limiter: new WindowLimiter(limits.botPerSecond, 1000),
      perSecond: limits.botPerSecond,
    };
  }
  if (!overall.current.limiter.hit('all', app.clock().getTime()).allowed) {
    await reply(app, userId, busyReply());
    return 'busy';
  }
  const hits = await addHit(app.db, `bot:${userId}`, 60, app.clock());
  if (hits > limits.botPerMinutePerUser) {
    // Say it once per minute; after that, silence is cheaper than an argument.
    if (hits === limits.botPerMinutePerUser + 1) {
      await reply(app, userId, tooManyReply(limits.botPerMinutePerUser));
    }
    return 'rate_limited';
  }

  if (eventName === 'user_send_image' || eventName === 'user_send_sticker') {
    // A photo of the receipt is the usual try: ask for the code as text.
    await reply(
      app,
      userId,
      guideReply(
        site.exampleCode,
        'Chúng tôi chưa đọc được ảnh. Vui lòng gõ mã hồ sơ in trên Giấy tiếp nhận.',
      ),
    );
    return 'guided';
  }
  if (command.kind === 'help') {
    await reply(app, userId, guideReply(site.exampleCode));
    return 'guided';
  }
  if (command.kind === 'lookup') {
    const calendar = await loadCalendar(app);
    const found = await findDossiersForLookup(app.db, command.codes);
    const records = command.codes.map((code) => found.find((r) => r.code === code));
    for (const r of records) {
      metricsOf(app).lookups.inc({ channel: 'zalo', outcome: r ? 'found' : 'not_found' });
    }
    const followed = await followedDossiers(
      app,
      userId,
      records.flatMap((r) => (r ? [r.id] : [])),
    );
    const replies = records.map((r, i) =>
      r
        ? statusReply(
            presentLookup(r, 'public', calendar, app.clock()),
            maskName(r.applicant_name),
            `${app.config.http.publicBaseUrl}/tra-cuu/${encodeURIComponent(r.code)}`,
            followed.has(r.id),
          )
        : unknownCodeReply(command.codes[i]!, site.exampleCode),
    );
    for (const r of replies) {
      await reply(app, userId, r);
    }
    return records.every(Boolean) ? 'answered' : records.some(Boolean) ? 'answered_partly' : 'unknown_code';
  }

  const dossier = await app.db
    .selectFrom('dossier')
    .select(['id', 'code', 'phone', 'notify_by_zalo', 'finished_at'])
    .where('code', '=', command.code)
    .executeTakeFirst();
  if (!dossier) {
    await reply(app, userId, unknownCodeReply(command.code, site.exampleCode));
    return 'unknown_code';
  }
  if (command.kind === 'unfollow') {
    await app.db
      .updateTable('dossier_follower')
      .set({ stopped_at: app.clock() })
      .where('dossier_id', '=', dossier.id)
      .where('zalo_user_id', '=', userId)
      .where('stopped_at', 'is', null)
      .execute();
    await reply(app, userId, unfollowedReply(dossier.code));
    return 'unfollowed_dossier';
  }
  const sharedPhone = await learnSharedPhone(app, userId);
  await app.db
    .insertInto('dossier_follower')
    .values({ dossier_id: dossier.id, zalo_user_id: userId })
    .onConflict((oc) => oc.columns(['dossier_id', 'zalo_user_id']).doUpdateSet({ stopped_at: null }))
    .execute();
  await reply(
    app,
    userId,
    followedReply(dossier.code, dossier.notify_by_zalo && sharedPhone === dossier.phone),
  );
  return 'followed_dossier';
}

async function followedDossiers(app: AppContext, userId: string, dossierIds: number[]): Promise<Set<number>> {
  if (dossierIds.length === 0) {
    return new Set();
  }
  const rows = await app.db
    .selectFrom('dossier_follower')
    .select('dossier_id')
    .where('zalo_user_id', '=', userId)
    .where('dossier_id', 'in', dossierIds)
    .where('stopped_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.dossier_id));
}

/**
 * The phone the user shared with the OA, if any (Zalo's user detail), kept on the follower: a follower who is
 * the applicant with the registered phone must not get every message twice. Best effort: no answer, no phone.
 */
async function learnSharedPhone(app: AppContext, userId: string): Promise<string | null> {
  let phone: string | null = null;
  try {
    const detail = await callWithToken(app, (token) => getUserDetail(app.config.zalo, token, userId));
    const shared = detail.ok ? detail.data.shared_info?.phone : undefined;
    if (shared !== undefined && /^84\d{9,10}$/.test(String(shared))) {
      phone = String(shared);
    }
  } catch (err) {
    if (!(err instanceof TokenUnavailable)) {
      throw err;
    }
  }
  if (phone) {
    await app.db
      .updateTable('zalo_follower')
      .set({ shared_phone: phone })
      .where('user_id', '=', userId)
      .execute();
  }
  return phone;
}

async function reply(app: AppContext, userId: string, r: BotReply): Promise<void> {
  let outcome: Awaited<ReturnType<typeof sendConsultation>>;
  try {
    outcome = await callWithToken(app, (token) =>
      sendConsultation(app.config.zalo, token, { userId, text: r.text, buttons: r.buttons }),
    );
  } catch (err) {
    if (err instanceof TokenUnavailable) {
      throw new ReplyNotSent(`Zalo OA not connected: ${err.message}`);
    }
    throw err;
  }
  if (!outcome.ok) {
    if (outcome.kind === 'transient' || outcome.kind === 'token' || outcome.kind === 'wait') {
      throw new ReplyNotSent(`Reply not sent (${outcome.code ?? 'no code'}): ${outcome.message}`);
    }
    app.logger.warn({ userId, code: outcome.code, message: outcome.message }, 'zalo bot reply refused');
  }
}
