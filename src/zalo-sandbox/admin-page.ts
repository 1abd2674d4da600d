/** The sandbox's admin page (`/sandbox/admin`): its markup and its script, served by pages.ts. */
export const ADMIN_BODY = `
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

export const ADMIN_SCRIPT = `
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
