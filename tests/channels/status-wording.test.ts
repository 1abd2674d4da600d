import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, vnDateOf } from '../../src/calendar/dates.ts';
import { loadCalendar } from '../../src/calendar/repo.ts';
import {
  historyLabel,
  STATUS_LABEL_MAX_LENGTH,
  STATUSES,
  type StatusCode,
  stepStatusLabel,
} from '../../src/contracts/statuses.ts';
import { emailContent } from '../../src/fallback/email-content.ts';
import { drainJobs } from '../../src/test-support/jobs.ts';
import { createZaloDesk, type ZaloDesk } from '../../src/test-support/zalo-desk.ts';
import { sendToOa } from '../../src/zalo-sandbox/citizen.ts';

/**
 * One vocabulary for the citizen: after every step of a dossier's life, the Zalo message, the OA bot's
 * answer, the email, `/tra-cuu` (page and JSON) and the officer app (dossier and journal) use the same words
 * for its status and its history — the ones defined once in src/contracts/statuses.ts.
 */
describe('the status wording on every channel', () => {
  let desk: ZaloDesk;
  let cookie: string;
  const citizen = '84970000321';

  before(async () => {
    desk = await createZaloDesk({ realTime: true, env: { BOT_LOOKUPS_PER_MINUTE_PER_USER: '100' } });
    cookie = await desk.adminCookie();
  });
  after(() => desk.t.close());

  const t = () => desk.t;
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t().server.inject({ url, headers });
    assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
    return res;
  };
  const move = async (code: string, body: Record<string, unknown>) => {
    const res = await t().server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: desk.key.authorization },
      payload: body,
    });
    assert.equal(res.statusCode, 200, res.body);
  };
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .trim();

  /** What each channel says about the dossier now. */
  const channels = async (d: { id: number; code: string }) => {
    const journal = (await get(`/api/dossiers/${d.code}/journal`, { cookie })).json() as {
      seq: number;
      action: string;
      toStatus: number;
      label: string;
    }[];
    const last = journal.at(-1)!;
    // The message of the last step (an earlier one not sent yet is superseded by it).
    const ofLast = (ns: Awaited<ReturnType<ZaloDesk['notifications']>>) =>
      ns.find((n) => n.journal_seq === last.seq && n.sent_at !== null);
    await desk.settle(d.id, (ns) => ofLast(ns) !== undefined);
    const notification = ofLast(await desk.notifications(d.id))!;
    const pushed = desk.sandbox().messages.find((m) => m.trackingId?.endsWith(`-${notification.id}`))!;
    const page = (await get(`/tra-cuu/${d.code}`)).body;
    const history = [...page.matchAll(/<li>([^<]*)<\/li>/g)].map((m) =>
      m[1]!.replace(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}: /, ''),
    );
    const publicView = (await get(`/api/public/lookup?code=${d.code}`)).json();
    const asked = desk.sandbox().messages.length;
    sendToOa(desk.sandbox(), citizen, { text: d.code.toLowerCase() });
    await drainJobs(t().app.db, desk.work, {
      until: async () =>
        desk
          .sandbox()
          .messages.slice(asked)
          .some((m) => m.direction === 'oa_to_user' && m.kind === 'cs'),
    });
    const answer = desk
      .sandbox()
      .messages.slice(asked)
      .find((m) => m.kind === 'cs')!.text;
    const status = publicView.status as StatusCode;
    const email = emailContent({
      applicantName: 'Nguyễn Văn An',
      dossierCode: d.code,
      procedureName: publicView.procedureName,
      agencyName: publicView.agency.name,
      agencyHotline: '',
      status,
      action: last.action,
      dueDate: publicView.appointmentDate,
      lookupUrl: 'https://motcua.test/tra-cuu',
    });
    return {
      step: { action: last.action, status },
      status: {
        officer: (await get(`/api/dossiers/${d.code}`, { cookie })).json().statusLabel,
        lookupPage: text(/<p class="status" id="status">(.*?)<\/p>/.exec(page)![1]!),
        lookupJson: publicView.statusLabel,
        bot: /Tình trạng: (.*)\n/.exec(answer)![1],
      },
      stepStatus: {
        zalo: pushed.templateData?.trang_thai ?? stepStatusLabel(last.action, status),
        email: /^Trạng thái: (.*)$/m.exec(email.text)![1],
      },
      history: {
        officer: journal.map((e) => e.label),
        lookupPage: history,
        lookupJson: (publicView.history as { label: string }[]).map((h) => h.label),
      },
    };
  };

  const expectSame = async (d: { id: number; code: string }) => {
    const said = await channels(d);
    const { action, status } = said.step;
    const label = STATUSES[status].label;
    assert.ok([...label].length <= STATUS_LABEL_MAX_LENGTH, label);
    assert.deepEqual(said.status, { officer: label, lookupPage: label, lookupJson: label, bot: label });
    const stepLabel = stepStatusLabel(action, status);
    assert.deepEqual(said.stepStatus, { zalo: stepLabel, email: stepLabel });
    assert.equal(said.history.officer.at(-1), historyLabel(action, status));
    assert.deepEqual(said.history.lookupPage, said.history.officer);
    assert.deepEqual(said.history.lookupJson, said.history.officer);
    return said;
  };

  it('says the same through a whole life: received, processing, supplement, payment, apology, result', async () => {
    const d = await desk.intake('0912 345 601');
    assert.equal((await expectSame(d)).status.bot, 'Được tiếp nhận');
    await move(d.code, { to: 4 });
    await expectSame(d);
    await move(d.code, { to: 5, reason: 'Thiếu giấy tờ', missingDocuments: ['Bản sao Giấy khai sinh'] });
    await expectSame(d);
    await move(d.code, { to: 4 });
    assert.equal((await expectSame(d)).history.officer.at(-1), 'Đang xử lý (đã nhận hồ sơ bổ sung)');
    await move(d.code, { to: 6, amountVnd: 50_000, content: 'Lệ phí' });
    assert.equal((await expectSame(d)).status.bot, 'Thực hiện nghĩa vụ tài chính');
    await move(d.code, { to: 4 });
    await expectSame(d);
    // A month on, moved to a working day as the rule demands: today + 30 falls on a weekend two days a week.
    const calendar = await loadCalendar(t().app);
    let later = vnDateOf(new Date(t().app.clock().getTime() + 30 * 86_400_000));
    while (!calendar.isWorkingDay(later)) {
      later = addDays(later, 1);
    }
    await move(d.code, { to: 4, action: 'apologise', reason: 'Cần xác minh thêm', newDueDate: later });
    assert.equal((await expectSame(d)).stepStatus.zalo, 'Hẹn lại ngày trả kết quả');
    await move(d.code, { to: 9 });
    assert.equal((await expectSame(d)).stepStatus.zalo, 'Đã xử lý xong');
    await move(d.code, { to: 10, method: 'direct' });
    await expectSame(d);
  });

  it('says the same for a refusal and for a withdrawal that stops the dossier', async () => {
    const refused = await desk.intake('0912 345 602');
    await move(refused.code, { to: 3, reason: 'Không thuộc thẩm quyền' });
    await expectSame(refused);
    const withdrawn = await desk.intake('0912 345 603');
    await move(withdrawn.code, { to: 7 });
    await expectSame(withdrawn);
    await move(withdrawn.code, { to: 8, reason: 'Công dân rút hồ sơ' });
    await expectSame(withdrawn);
  });

  it('never shouts: every wording is written as a sentence is', () => {
    for (const s of Object.values(STATUSES)) {
      assert.notEqual(s.label, s.label.toUpperCase());
      assert.ok([...s.label].length <= STATUS_LABEL_MAX_LENGTH, s.label);
    }
  });
});
