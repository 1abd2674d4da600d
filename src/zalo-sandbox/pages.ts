import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import jpeg from 'jpeg-js';
import { page } from './html.ts';

/**
 * The phone simulator (`/sandbox/phone`): what the citizen sees in Zalo — the OA thread with template and
 * consultation messages and delivery ticks, follow / unfollow, typing to the OA, scanning a QR, and a switch
 * for "this number has no Zalo". And a small admin page (`/sandbox/admin`) over the sandbox API.
 */
export function sandboxPages(guards: { phone?: preHandlerHookHandler; admin?: preHandlerHookHandler }) {
  return async (fastify: FastifyInstance) => {
    fastify.get('/sandbox/phone', guards.phone ? { preHandler: guards.phone } : {}, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(page('Điện thoại mô phỏng — Zalo', PHONE_BODY, PHONE_SCRIPT)),
    );
    // The photo the simulator "sends" to the OA (a user_send_image carries only its URL).
    fastify.get('/sandbox/sample-photo.jpg', async (_request, reply) =>
      reply.type('image/jpeg').send(samplePhoto()),
    );
    fastify.get('/sandbox/admin', guards.admin ? { preHandler: guards.admin } : {}, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(page('Zalo sandbox', ADMIN_BODY, ADMIN_SCRIPT)),
    );
  };
}

const PHONE_BODY = `
<header>Zalo<span id="oa-title"></span></header>
<div class="pad" id="setup">
  <form id="phone-form" class="row">
    <label for="phone">Số điện thoại</label>
    <input id="phone" name="phone" inputmode="tel" placeholder="0912 345 678" required>
    <button class="primary" type="submit">Mở Zalo</button>
  </form>
  <p class="muted">Điện thoại mô phỏng của Zalo sandbox: tin nhắn mẫu (ZBS) gửi tới số này, cuộc trò chuyện với OA và SMS thay thế hiện ở đây.</p>
</div>
<div class="pad" id="controls" hidden>
  <div class="row">
    <b id="who"></b>
    <span id="zalo-state" class="muted"></span>
  </div>
  <div class="row">
    <button id="follow" type="button">Quan tâm</button>
    <button id="unfollow" type="button">Bỏ quan tâm</button>
    <label><input type="checkbox" id="no-zalo"> Số này chưa có Zalo</label>
  </div>
  <details>
    <summary>Quét mã QR</summary>
    <div class="row">
      <label class="button" for="scan-file">Chọn ảnh hoặc tệp PDF có mã QR</label>
      <input type="file" id="scan-file" class="visually-hidden" accept="image/png,image/jpeg,application/pdf" aria-label="Ảnh hoặc PDF có mã QR">
    </div>
    <form id="scan-url" class="row">
      <input id="scan-link" placeholder="hoặc dán đường dẫn trong mã QR" aria-label="Đường dẫn trong mã QR">
      <button type="submit">Mở</button>
    </form>
    <p id="scan-result" class="muted"></p>
    <iframe id="browser" title="Trình duyệt trong Zalo" hidden></iframe>
  </details>
</div>
<div class="thread" id="thread" aria-live="polite"></div>
<form class="composer" id="composer" hidden>
  <button type="button" id="image" title="Gửi một ảnh chụp cho OA" aria-label="Gửi ảnh">Ảnh</button>
  <input id="text" placeholder="Nhắn tin cho OA, ví dụ mã hồ sơ" aria-label="Tin nhắn" autocomplete="off">
  <button class="primary" type="submit">Gửi</button>
</form>
<p class="pad error" id="error" role="alert"></p>`;

const PHONE_SCRIPT = `
const $ = (id) => document.getElementById(id);
let phone = new URLSearchParams(location.search).get('phone') || '';
const api = async (path, options = {}) => {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { throw new Error(body.userMessage || body.message || ('HTTP ' + res.status)); }
  return body;
};
const show = (e) => { $('error').textContent = e ? e.message : ''; };
let oaName = 'OA';
// Times as Vietnamese screens write them: 07:00, or 07:00 08/12/2026 when it is not today.
const VN = { timeZone: 'Asia/Ho_Chi_Minh' };
const day = (ms) => new Intl.DateTimeFormat('en-GB', { ...VN, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(ms));
const clock = (ms) => new Intl.DateTimeFormat('en-GB', { ...VN, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ms));
const time = (ms) => clock(ms) + (day(ms) === day(Date.now()) ? '' : ' ' + day(ms));
function bubble(m) {
  const div = document.createElement('div');
  div.className = 'bubble' + (m.direction === 'user_to_oa' ? ' me' : '');
  div.dataset.kind = m.kind;
  if (m.kind === 'zbs_phone' || m.kind === 'zbs_uid') {
    const title = document.createElement('div');
    title.className = 'title';
    title.textContent = 'Thông báo từ ' + oaName;
    div.append(title);
  }
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = m.text;
  div.append(text);
  for (const b of m.buttons || []) {
    const a = document.createElement('a');
    a.className = 'button';
    a.textContent = b.title;
    if (b.type === 'oa.open.url' && b.payload && b.payload.url) { a.href = b.payload.url; a.target = '_blank'; }
    else if (b.type === 'oa.query.show' || b.type === 'oa.query.hide') {
      a.href = '#';
      // oa.query.hide: Zalo sends the payload for the user without showing it in the chat.
      a.onclick = (ev) => { ev.preventDefault(); send(typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload), b.type === 'oa.query.hide'); };
    }
    div.append(document.createElement('br'), a);
  }
  if (m.rating) { div.append(ratingBox(m)); }
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = time(m.sentAt) + (m.direction === 'oa_to_user' ? (m.deliveredAt ? ' · ✓✓ đã nhận' : ' · ✓ đã gửi') : '');
  div.append(meta);
  return div;
}
// A rating template's message (ZBS type 5): stars, the template's options and a note; sending posts
// user_feedback to the OA. The citizen's choice survives the thread's refresh until sent.
const drafts = {};
function ratingBox(m) {
  const box = document.createElement('div');
  box.className = 'rating';
  const done = m.rating.submitted;
  const draft = drafts[m.msgId] || (drafts[m.msgId] = { rate: done ? done.rate : 0 });
  const stars = document.createElement('div');
  stars.className = 'stars';
  stars.setAttribute('role', 'group');
  stars.setAttribute('aria-label', 'Chọn số sao');
  const paint = () => { [...stars.children].forEach((b, i) => { b.textContent = i < draft.rate ? '★' : '☆'; b.setAttribute('aria-pressed', String(i < draft.rate)); }); };
  for (let i = 1; i <= 5; i++) {
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'star'; b.dataset.star = String(i); b.setAttribute('aria-label', i + ' sao');
    b.onclick = () => { draft.rate = i; paint(); };
    stars.append(b);
  }
  paint();
  box.append(stars);
  const picks = m.rating.options.map((o) => {
    const l = document.createElement('label');
    const c = document.createElement('input');
    c.type = 'checkbox'; c.value = o; c.checked = !!done && done.feedbacks.includes(o);
    l.append(c, ' ' + o);
    box.append(l);
    return c;
  });
  const note = document.createElement('input');
  note.className = 'note'; note.placeholder = 'Góp ý (không bắt buộc)'; note.value = done ? done.note : '';
  box.append(note);
  const sendRating = document.createElement('button');
  sendRating.type = 'button'; sendRating.className = 'primary rate-send';
  sendRating.textContent = done ? 'Gửi lại đánh giá' : 'Gửi đánh giá';
  sendRating.onclick = async () => {
    if (!draft.rate) { show(new Error('Vui lòng chọn số sao.')); return; }
    try {
      await api('/sandbox/api/phones/' + encodeURIComponent(phone) + '/messages/' + encodeURIComponent(m.msgId) + '/feedback', { method: 'POST', body: JSON.stringify({ rate: draft.rate, feedbacks: picks.filter((c) => c.checked).map((c) => c.value), note: note.value }) });
    } catch (e) { show(e); }
    sendRating.blur();
    refresh();
  };
  box.append(sendRating);
  if (done) {
    const p = document.createElement('div');
    p.className = 'meta rated';
    p.textContent = 'Đã đánh giá ' + '★'.repeat(done.rate) + '☆'.repeat(5 - done.rate);
    box.append(p);
  }
  return box;
}
// SMS received by this number (the product's SMS sandbox, when it runs beside this sandbox): shown in the
// same thread so a fallback SMS appears right after the Zalo message it replaced.
async function smsOf(p) {
  try {
    const res = await fetch('/sandbox/api/sms?phone=' + encodeURIComponent(p));
    return res.ok ? await res.json() : [];
  } catch { return []; }
}
function smsBubble(m) {
  const div = document.createElement('div');
  div.className = 'bubble sms' + (m.sendAt ? ' held' : '');
  div.dataset.kind = 'sms';
  const title = document.createElement('div');
  title.className = 'title';
  // An SMS held by the quiet hours has not reached the phone yet: say when it will.
  title.textContent = m.sendAt ? 'SMS chưa gửi: sẽ gửi lúc ' + time(Date.parse(m.sendAt)) : 'SMS từ ' + m.from;
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = m.text;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = (m.sendAt ? (m.note || 'chờ gửi') : time(Date.parse(m.receivedAt))) + ' · ' + m.segments + ' tin ' + (m.encoding === 'gsm7' ? 'không dấu' : 'có dấu');
  div.append(title, text, meta);
  return div;
}
async function refresh() {
  if (!phone) { return; }
  // Not while the citizen is filling in a rating: redrawing the thread would take the focus away.
  if (document.activeElement && document.activeElement.closest && document.activeElement.closest('.rating')) { return; }
  try {
    const s = await api('/sandbox/api/phones/' + encodeURIComponent(phone));
    oaName = s.oaName;
    $('oa-title').textContent = ' · ' + s.oaName;
    $('who').textContent = phone;
    $('zalo-state').textContent = !s.onZalo ? 'chưa có Zalo' : s.follower ? 'đang quan tâm OA' : 'chưa quan tâm OA';
    $('no-zalo').checked = !s.onZalo;
    $('follow').disabled = !s.onZalo || s.follower;
    $('unfollow').disabled = !s.onZalo || !s.follower;
    const thread = $('thread');
    const atBottom = thread.scrollTop + thread.clientHeight >= thread.scrollHeight - 20;
    const sms = await smsOf(phone);
    const items = [...s.messages.filter((m) => !m.hidden).map((m) => ({ at: m.sentAt, node: bubble(m) })), ...sms.map((m) => ({ at: Date.parse(m.sendAt || m.receivedAt), node: smsBubble(m) }))];
    thread.replaceChildren(...items.sort((a, b) => a.at - b.at).map((i) => i.node));
    if (items.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'muted';
      empty.textContent = 'Chưa có tin nhắn.';
      thread.append(empty);
    }
    if (atBottom) { thread.scrollTop = thread.scrollHeight; }
    show();
  } catch (e) { show(e); }
}
function open(p) {
  phone = p;
  history.replaceState(null, '', '?phone=' + encodeURIComponent(p));
  // Another number is another phone: nothing of the previous one's QR scan stays on screen.
  $('scan-result').textContent = '';
  $('scan-link').value = '';
  $('scan-file').value = '';
  $('browser').hidden = true;
  $('browser').removeAttribute('src');
  $('thread').replaceChildren();
  $('controls').hidden = false;
  $('composer').hidden = false;
  refresh();
}
async function send(text, hidden) {
  try { await api('/sandbox/api/phones/' + encodeURIComponent(phone) + '/messages', { method: 'POST', body: JSON.stringify({ text, hidden: Boolean(hidden) }) }); }
  catch (e) { show(e); }
  refresh();
}
$('phone-form').onsubmit = (ev) => { ev.preventDefault(); open($('phone').value.replace(/[^0-9+]/g, '').replace(/^\\+?84/, '0')); };
$('composer').onsubmit = (ev) => { ev.preventDefault(); const t = $('text').value.trim(); if (t) { $('text').value = ''; send(t); } };
$('image').onclick = async () => {
  try { await api('/sandbox/api/phones/' + encodeURIComponent(phone) + '/messages', { method: 'POST', body: JSON.stringify({ imageUrl: location.origin + '/sandbox/sample-photo.jpg' }) }); }
  catch (e) { show(e); }
  refresh();
};
$('follow').onclick = async () => { try { await api('/sandbox/api/phones/' + encodeURIComponent(phone) + '/follow', { method: 'POST', body: '{}' }); } catch (e) { show(e); } refresh(); };
$('unfollow').onclick = async () => { try { await api('/sandbox/api/phones/' + encodeURIComponent(phone) + '/unfollow', { method: 'POST', body: '{}' }); } catch (e) { show(e); } refresh(); };
$('no-zalo').onchange = async () => { try { await api('/sandbox/api/phones/' + encodeURIComponent(phone), { method: 'PUT', body: JSON.stringify({ onZalo: !$('no-zalo').checked }) }); } catch (e) { show(e); } refresh(); };
const openTarget = (target) => {
  $('scan-result').textContent = 'Mã QR: ' + target;
  if (/^https?:/.test(target)) { $('browser').hidden = false; $('browser').src = target; }
};
$('scan-url').onsubmit = async (ev) => {
  ev.preventDefault();
  try { openTarget((await api('/sandbox/api/scan', { method: 'POST', body: JSON.stringify({ url: $('scan-link').value }) })).target); } catch (e) { show(e); }
};
$('scan-file').onchange = async () => {
  const file = $('scan-file').files[0];
  if (!file) { return; }
  const data = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < data.length; i += 0x8000) { binary += String.fromCharCode(...data.subarray(i, i + 0x8000)); }
  try { openTarget((await api('/sandbox/api/scan', { method: 'POST', body: JSON.stringify({ fileBase64: btoa(binary), mime: file.type }) })).target); }
  catch (e) { show(e); }
};
if (phone) { $('phone').value = phone; open(phone); }
setInterval(refresh, 1500);
`;

const ADMIN_BODY = `
<header>Zalo sandbox · quản trị</header>
<div class="pad">
  <p class="muted">Mô phỏng nền tảng Zalo (OAuth v4, OA API v3, ZBS theo số điện thoại, webhook có chữ ký). Không gọi tới Zalo thật.</p>
  <h3>Lỗi giả lập theo API</h3>
  <form id="fault" class="row">
    <select id="endpoint" aria-label="API"></select>
    <input id="code" type="number" placeholder="mã lỗi, ví dụ -118" aria-label="Mã lỗi" style="width:140px">
    <input id="remaining" type="number" placeholder="số lần" aria-label="Số lần" style="width:90px">
    <input id="latency" type="number" placeholder="trễ (ms)" aria-label="Độ trễ" style="width:100px">
    <label><input type="checkbox" id="http500"> HTTP 500</label>
    <label><input type="checkbox" id="drop"> ngắt kết nối</label>
    <label><input type="checkbox" id="expired"> token hết hạn</label>
    <button class="primary" type="submit">Áp dụng</button>
    <button type="button" id="clear">Xóa hết</button>
  </form>
  <h3>Zalo từ chối hẳn</h3>
  <form id="refusals" class="row">
    <label><input type="checkbox" id="refuse-refresh"> Từ chối mọi lần làm mới token (OA thu hồi quyền)</label>
    <input id="refuse-template" placeholder="mã mẫu tin, ví dụ 419001" aria-label="Mẫu tin bị từ chối" style="width:180px">
    <input id="refuse-code" type="number" placeholder="-131" aria-label="Mã lỗi của mẫu tin" style="width:90px">
    <button class="primary" type="submit">Áp dụng</button>
    <button type="button" id="accept-template">Nhận lại mẫu tin</button>
  </form>
  <p class="muted" id="refused"></p>
  <h3>Bộ đếm</h3>
  <table><thead><tr><th>API</th><th>Lượt gọi</th><th>Bị từ chối</th><th>Lỗi giả lập</th></tr></thead><tbody id="counters"></tbody></table>
  <h3>Mẫu tin (ZBS)</h3>
  <table><thead><tr><th>Mã mẫu</th><th>Tên</th><th>Trạng thái</th><th>Tham số</th></tr></thead><tbody id="templates"></tbody></table>
  <h3>Người dùng Zalo</h3>
  <table><thead><tr><th>Số điện thoại</th><th>UID</th><th>Quan tâm</th></tr></thead><tbody id="users"></tbody></table>
  <h3>Webhook gần đây</h3>
  <table><thead><tr><th>Sự kiện</th><th>Trạng thái</th><th>Lần gửi</th><th>Lỗi</th></tr></thead><tbody id="webhooks"></tbody></table>
  <p class="error" id="error" role="alert"></p>
</div>`;

const ADMIN_SCRIPT = `
const $ = (id) => document.getElementById(id);
const api = async (path, options = {}) => {
  const res = await fetch(path, { ...options, headers: { 'content-type': 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { throw new Error(body.userMessage || body.message || ('HTTP ' + res.status)); }
  return body;
};
// Zalo's codes in the officer's words (the code itself in a tooltip).
const TEMPLATE_STATES = { ENABLE: 'Đã duyệt', PENDING_REVIEW: 'Chờ duyệt', REJECT: 'Bị từ chối', DISABLE: 'Tạm ngưng' };
const EVENTS = { follow: 'Quan tâm OA', unfollow: 'Bỏ quan tâm OA', user_send_text: 'Gửi tin nhắn', user_send_link: 'Gửi đường dẫn', user_send_image: 'Gửi ảnh', user_received_message: 'Báo đã nhận tin' };
const WEBHOOK_STATES = { delivered: 'Đã nhận', pending: 'Chờ gửi lại', failed: 'Không gửi được', sending: 'Đang gửi' };
const word = (map, code) => ({ text: map[code] || code, title: code });
const faultText = (f) => [
  f.errorCode !== undefined ? 'mã lỗi ' + f.errorCode : '',
  f.remaining !== undefined ? 'còn ' + f.remaining + ' lần' : '',
  f.percent !== undefined ? f.percent + '% số lượt' : '',
  f.latencyMs ? 'trễ ' + f.latencyMs + ' ms' : '',
  f.http500 ? 'HTTP 500' : '',
  f.drop ? 'ngắt kết nối' : '',
  f.expiredToken ? 'token hết hạn' : '',
].filter(Boolean).join(', ');
const rows = (id, items, cells) => {
  $(id).replaceChildren(...items.map((item) => {
    const tr = document.createElement('tr');
    for (const c of cells(item)) {
      const td = document.createElement('td');
      if (c && typeof c === 'object') { td.textContent = c.text; td.title = c.title; } else { td.textContent = c; }
      tr.append(td);
    }
    return tr;
  }));
};
async function refresh() {
  try {
    const s = await api('/sandbox/api/state');
    if (!$('endpoint').options.length) {
      for (const e of s.endpoints) { const o = document.createElement('option'); o.value = e; o.textContent = e; $('endpoint').append(o); }
    }
    rows('counters', s.endpoints, (e) => [e, String(s.counters[e]?.calls ?? 0), String(s.counters[e]?.rejections ?? 0), s.faults[e] ? faultText(s.faults[e]) : '']);
    $('refuse-refresh').checked = s.refusals.refresh;
    $('refused').textContent = 'Mẫu tin đang bị từ chối: ' + (Object.entries(s.refusals.templates).map(([id, c]) => id + ' (' + c + ')').join(', ') || 'không có');
    rows('templates', s.templates, (t) => [t.id, t.name, word(TEMPLATE_STATES, t.status), t.params.map((p) => p.name + ' ≤ ' + p.maxLength).join(', ')]);
    rows('users', s.users, (u) => [u.phone ?? '', u.uid, u.follower ? 'có' : 'không']);
    rows('webhooks', s.webhooks.slice().reverse(), (w) => [word(EVENTS, w.event), word(WEBHOOK_STATES, w.status), String(w.attempts), w.lastError ?? '']);
    $('error').textContent = '';
  } catch (e) { $('error').textContent = e.message; }
}
$('fault').onsubmit = async (ev) => {
  ev.preventDefault();
  const body = {};
  if ($('code').value) { body.errorCode = Number($('code').value); }
  if ($('remaining').value) { body.remaining = Number($('remaining').value); }
  if ($('latency').value) { body.latencyMs = Number($('latency').value); }
  if ($('http500').checked) { body.http500 = true; }
  if ($('drop').checked) { body.drop = true; }
  if ($('expired').checked) { body.expiredToken = true; }
  try { await api('/sandbox/api/faults/' + $('endpoint').value, { method: 'PUT', body: JSON.stringify(body) }); } catch (e) { $('error').textContent = e.message; }
  refresh();
};
$('refusals').onsubmit = async (ev) => {
  ev.preventDefault();
  const body = { refresh: $('refuse-refresh').checked };
  if ($('refuse-template').value.trim()) { body.templates = { [$('refuse-template').value.trim()]: Number($('refuse-code').value || -131) }; }
  try { await api('/sandbox/api/refusals', { method: 'PUT', body: JSON.stringify(body) }); } catch (e) { $('error').textContent = e.message; }
  refresh();
};
$('accept-template').onclick = async () => {
  if (!$('refuse-template').value.trim()) { return; }
  await api('/sandbox/api/refusals', { method: 'PUT', body: JSON.stringify({ templates: { [$('refuse-template').value.trim()]: null } }) });
  refresh();
};
$('clear').onclick = async () => { await api('/sandbox/api/faults', { method: 'DELETE' }); refresh(); };
refresh();
setInterval(refresh, 3000);
`;

let photo: Buffer | undefined;
function samplePhoto(): Buffer {
  if (!photo) {
    const width = 64;
    const height = 48;
    const data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      data.set([0, 104, 255, 255], i * 4);
    }
    photo = jpeg.encode({ data, width, height }, 80).data;
  }
  return photo;
}
