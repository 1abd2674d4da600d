/** The phone simulator's page (`/sandbox/phone`): its markup and its script, served by pages.ts. */
export const PHONE_BODY = `
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

export const PHONE_SCRIPT = `
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
