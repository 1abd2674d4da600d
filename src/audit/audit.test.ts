import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, vnDateOf } from '../calendar/dates.ts';
import type { TAuditPage } from '../contracts/audit.ts';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import { buildAgency, buildOfficer } from '../test-support/factories.ts';

describe('GET /api/audit-events (Nhật ký hệ thống)', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof buildOfficer>>;
  let adminCookie: string;
  let deskCookie: string;
  let createdId: number;

  before(async () => {
    t = await createTestApp();
    const agency = await buildAgency(t.app, { name: 'Bộ phận Một cửa phường Đồng Hới' });
    admin = await buildOfficer(t.app, agency.id, 'admin', 'Nguyễn Văn Quản Trị');
    const desk = await buildOfficer(t.app, agency.id, 'desk_officer', 'Trần Thị Tiếp');
    await t.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: desk.username, password: 'sai-mat-khau' },
    });
    adminCookie = await loginCookie(t.server, admin.username, admin.password);
    deskCookie = await loginCookie(t.server, desk.username, desk.password);
    const created = await t.server.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: adminCookie },
      payload: {
        username: 'nv.moi',
        fullName: 'Lê Văn Mới',
        role: 'specialist',
        agencyId: agency.id,
        password: 'MatKhau@2026x',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    createdId = created.json().id;
  });
  after(() => t.close());

  const read = async (query = '') => {
    const res = await t.server.inject({ url: `/api/audit-events${query}`, headers: { cookie: adminCookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as TAuditPage;
  };

  it('tells administrators who did what, newest first, in Vietnamese', async () => {
    const page = await read();
    // Before these: the test's own set-up, the two accounts created by the system.
    assert.deepEqual(
      page.items.slice(0, 4).map((e) => [e.actionLabel, e.actor.name, e.actor.kind]),
      [
        ['Tạo tài khoản', 'Nguyễn Văn Quản Trị', 'user'],
        ['Đăng nhập', 'Trần Thị Tiếp', 'user'],
        ['Đăng nhập', 'Nguyễn Văn Quản Trị', 'user'],
        ['Đăng nhập không thành công', page.items[3]!.actor.name, 'system'],
      ],
    );
    const [create] = page.items;
    // Who and what by the names officers use: the account's username and role, not "Cán bộ" and an id.
    assert.deepEqual(create!.target, {
      type: 'app_user',
      id: String(createdId),
      label: 'Tài khoản nv.moi',
    });
    assert.equal(create!.actor.agencyName, 'Bộ phận Một cửa phường Đồng Hới');
    assert.equal(create!.actor.username, admin.username);
    assert.equal(create!.actor.roleLabel, 'Quản trị hệ thống');
    assert.equal(page.items[1]!.actor.roleLabel, 'Cán bộ tiếp nhận/trả kết quả');
    assert.equal(page.items[3]!.actor.roleLabel, 'Hệ thống');
    assert.equal(page.hasMore, false);
  });

  it('filters by action, by a name typed without diacritics or a target id, and by day', async () => {
    assert.deepEqual(
      (await read('?action=auth.login')).items.map((e) => e.actor.name),
      ['Trần Thị Tiếp', 'Nguyễn Văn Quản Trị'],
    );
    assert.deepEqual(
      (await read('?q=quan%20tri')).items.map((e) => e.action),
      ['user.create', 'auth.login'],
    );
    assert.deepEqual(
      (await read(`?q=${createdId}`)).items.map((e) => e.action),
      ['user.create'],
    );
    assert.deepEqual(
      (await read(`?q=${admin.username.toUpperCase()}`)).items.map((e) => e.action),
      ['user.create', 'auth.login'],
    );
    // The journal's clock is PostgreSQL's, not the test's: the days are those of the entries themselves (a
    // run across midnight in Vietnam spans two).
    const all = (await read()).items.map((e) => vnDateOf(new Date(e.at)));
    const [first, last] = [all.at(-1)!, all[0]!];
    assert.equal((await read(`?from=${first}&to=${last}`)).items.length, 6);
    assert.equal((await read(`?to=${addDays(first, -1)}`)).items.length, 0);
  });

  it('pages without counting the journal', async () => {
    const first = await read('?pageSize=3');
    assert.equal(first.items.length, 3);
    assert.equal(first.hasMore, true);
    const second = await read('?pageSize=3&page=2');
    assert.deepEqual(
      second.items.map((e) => e.action),
      ['auth.login_failed', 'user.create', 'user.create'],
    );
    assert.equal(second.hasMore, false);
    const third = await read('?pageSize=3&page=3');
    assert.equal(third.items.length, 0);
    assert.equal(third.hasMore, false);
  });

  it('names a template binding by what it applies to, not by its key', async () => {
    const set = await t.server.inject({
      method: 'PUT',
      url: '/api/zalo/templates/action.request_supplement',
      headers: { cookie: adminCookie },
      payload: {
        templateId: '419002',
        params: [{ name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 }],
      },
    });
    assert.equal(set.statusCode, 200, set.body);
    const [event] = (await read('?action=zalo.template.set')).items;
    assert.equal(event!.target.label, 'Mẫu tin Zalo (Thao tác: Yêu cầu bổ sung giấy tờ)');
  });

  it('is for administrators only', async () => {
    const res = await t.server.inject({ url: '/api/audit-events', headers: { cookie: deskCookie } });
    assert.equal(res.statusCode, 403);
  });
});
