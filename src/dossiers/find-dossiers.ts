import { type Actor, actingRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { addDays, loadCalendar, vnDateOf, vnInstant } from '../calendar/index.ts';
import { normaliseCodeQuery, parseCodeEnd, parseDossierCode } from '../contracts/dossier-code.ts';
import { INT4_MAX } from '../contracts/ids.ts';
import { normalisePhone } from '../contracts/phone.ts';
import { foldForSearch } from '../contracts/text.ts';
import { invalid, NotFound } from '../errors.ts';
import { presentDossier, presentJournalEntry } from './presenter.ts';
import {
  countDossiersStatement,
  type DossierFilters,
  type DossierRecord,
  dossierPageStatement,
  dossiersAfterStatement,
  dossiersByIds,
  findDossierByCode,
  journalOf,
} from './repo.ts';

export type ApiBase = '/api' | '/api/v1';

export function presentOptionsFor(
  app: AppContext,
  actor: Actor,
  calendar: WorkingCalendar,
  apiBase: ApiBase,
) {
  return {
    calendar,
    today: vnDateOf(app.clock()),
    publicBaseUrl: app.config.http.publicBaseUrl,
    lookupSecret: app.config.secrets.lookupLink,
    apiBase,
    role: actingRole(actor),
  };
}

/** A dossier row as the API returns it to this actor. */
export async function viewOf(app: AppContext, actor: Actor, record: DossierRecord, apiBase: ApiBase) {
  return presentDossier(record, presentOptionsFor(app, actor, await loadCalendar(app), apiBase));
}

/** One dossier of the actor's agency, presented; 404 for other agencies' dossiers too (no existence leak). */
export async function getDossier(app: AppContext, actor: Actor, code: string, apiBase: ApiBase) {
  const d = await findDossierByCode(app.db, actor.agencyId, code);
  if (!d) {
    throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
  }
  return viewOf(app, actor, d, apiBase);
}

export async function getJournal(app: AppContext, actor: Actor, code: string) {
  const d = await findDossierByCode(app.db, actor.agencyId, code);
  if (!d) {
    throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
  }
  return (await journalOf(app.db, d.id)).map(presentJournalEntry);
}

/**
 * Reads the free-text search: a whole code (typed in any case, with spaces), the end of a code
 * ("261207-0007", "H50-261207-0007"), a 12-digit ID number, a phone, part of a code, otherwise a name.
 */
export function parseSearch(q: string | undefined): DossierFilters['search'] {
  const text = q?.trim();
  if (!text) {
    return undefined;
  }
  // Before the phone: "261207-0007" is also ten digits, a fixed line's length. A whole code ends with
  // itself, and an identifier of any shape may be typed ("H50-261207-0007" is the end of a code too).
  const codeEnd = parseCodeEnd(text);
  if (codeEnd) {
    return { codeEnd };
  }
  const code = parseDossierCode(text);
  if (code) {
    return { code };
  }
  const digits = text.replace(/[\s.]/g, '');
  if (/^\d{12}$/.test(digits)) {
    return { idNumber: digits };
  }
  const phone = normalisePhone(text);
  if (phone.ok) {
    return { phone: phone.stored };
  }
  if (/\d/.test(text)) {
    return { codePart: normaliseCodeQuery(text) };
  }
  return { name: foldForSearch(text) };
}

export interface ListFilters {
  statuses?: number[];
  procedureCode?: string;
  receivedFrom?: string;
  receivedTo?: string;
  overdue?: boolean;
  dueWithinDays?: number;
  notifyByZalo?: boolean;
  q?: string;
}

/** Converts screen/API filters (dates in Vietnam time, working days) into repository filters. */
export function toRepoFilters(
  actor: Actor,
  f: ListFilters,
  today: string,
  calendar: WorkingCalendar,
): DossierFilters {
  return {
    agencyId: actor.agencyId,
    statuses: f.statuses,
    procedureCode: f.procedureCode,
    receivedFrom: f.receivedFrom ? vnInstant(f.receivedFrom) : undefined,
    receivedTo: f.receivedTo ? vnInstant(addDays(f.receivedTo, 1)) : undefined,
    overdueOn: f.overdue === true ? today : undefined,
    dueBetween:
      f.dueWithinDays !== undefined
        ? { from: today, to: calendar.addWorkingDays(today, f.dueWithinDays) }
        : undefined,
    notifyByZalo: f.notifyByZalo,
    search: parseSearch(f.q),
  };
}

/** Lists report at most this many matches ("10 000+"); filters narrow a longer list. */
export const COUNT_CAP = 10_000;

/** A page of the list, newest first, with the total for the pager. */
export async function listDossiers(
  app: AppContext,
  actor: Actor,
  f: ListFilters,
  page: { page: number; pageSize: number },
  apiBase: ApiBase,
) {
  const calendar = await loadCalendar(app);
  const options = presentOptionsFor(app, actor, calendar, apiBase);
  const filters = toRepoFilters(actor, f, options.today, calendar);
  const [rows, count] = await Promise.all([
    dossierPageStatement(app.db, filters, {
      limit: page.pageSize,
      offset: (page.page - 1) * page.pageSize,
    }).execute(),
    // Counting a desk's whole history on every page costs more than the page itself: count up to a cap.
    countDossiersStatement(app.db, filters, COUNT_CAP).executeTakeFirstOrThrow(),
  ]);
  const items = await loadPresented(
    app,
    rows.map((r) => r.id),
    options,
  );
  return {
    items,
    total: Math.min(count.n, COUNT_CAP),
    totalCapped: count.n > COUNT_CAP,
    page: page.page,
    pageSize: page.pageSize,
  };
}

/** Keyset pages for integrations: stable under concurrent inserts. Cursor = "<receivedAt ms>.<id>". */
export async function listDossiersByCursor(
  app: AppContext,
  actor: Actor,
  f: ListFilters,
  cursor: string | undefined,
  limit: number,
) {
  const calendar = await loadCalendar(app);
  const options = presentOptionsFor(app, actor, calendar, '/api/v1');
  const rows = await dossiersAfterStatement(
    app.db,
    toRepoFilters(actor, f, options.today, calendar),
    decodeCursor(cursor),
    limit + 1,
  ).execute();
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: await loadPresented(
      app,
      pageRows.map((r) => r.id),
      options,
    ),
    nextCursor: rows.length > limit && last ? `${new Date(last.received_at).getTime()}.${last.id}` : null,
  };
}

/** The cursor's position; a cursor we cannot have issued (malformed, past year 9999, id beyond int4) is a 400. */
function decodeCursor(cursor: string | undefined): { at: Date; id: number } | undefined {
  if (cursor === undefined || cursor === '') {
    return undefined;
  }
  const m = /^(\d{1,15})\.(\d{1,10})$/.exec(cursor);
  const at = Number(m?.[1]);
  const id = Number(m?.[2]);
  if (!m || at > LAST_CURSOR_INSTANT || id < 1 || id > INT4_MAX) {
    throw invalid(
      'cursor',
      'Not a cursor of this list (use nextCursor as given)',
      'Vị trí trang không hợp lệ.',
    );
  }
  return { at: new Date(at), id };
}

/** 9999-12-31T23:59:59.999Z: PostgreSQL's timestamps go further, but no dossier will. */
const LAST_CURSOR_INSTANT = 253_402_300_799_999;

async function loadPresented(app: AppContext, ids: number[], options: ReturnType<typeof presentOptionsFor>) {
  if (ids.length === 0) {
    return [];
  }
  const rows = await dossiersByIds(app.db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => presentDossier(byId.get(id)!, options));
}
