import { formatVnDate } from '../calendar/index.ts';
import { escapeHtml as e } from '../http/html.ts';
import { publicPage, publicPageCsp } from '../http/public-page.ts';
import type { SiteInfo } from '../zalo-oa/index.ts';
import type { LookupView } from './lookup-dossier.ts';
import { codeFormatHint, deadlineText, nextStepText, vnDateTime } from './wording.ts';

/**
 * The public look-up pages: server-rendered, no script at all, one small inline stylesheet (allowed by its
 * hash in the CSP), readable in Zalo's in-app browser on a small phone.
 */
const STYLE = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f1f5f9;color:#0f172a}
header{background:#0068ff;color:#fff;padding:14px 16px}header h1{font-size:18px;margin:0}header p{margin:2px 0 0;font-size:14px;opacity:.9}
main{max-width:560px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0001}
h2{font-size:17px;margin:0 0 8px}label{display:block;font-weight:600;margin:10px 0 4px}
input{box-sizing:border-box;width:100%;font:inherit;padding:10px 12px;border:1px solid #94a3b8;border-radius:8px}
button{margin-top:12px;width:100%;font:inherit;font-weight:600;padding:11px;border:0;border-radius:8px;background:#0068ff;color:#fff}
.hint{color:#475569;font-size:14px;margin:4px 0 0}.error{color:#b91c1c;font-weight:600}.ok{color:#15803d}
.status{font-size:20px;font-weight:700;margin:4px 0}.late{color:#b91c1c;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:8px 0 0}dt{color:#475569}dd{margin:0;font-weight:500}
ol{padding-left:20px;margin:6px 0}li{margin:4px 0}.code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}.code span{white-space:nowrap}
.oa{display:flex;gap:12px;align-items:center}.oa img{width:96px;height:96px}a{color:#0052cc}
footer{text-align:center;color:#64748b;font-size:13px;padding:8px 0 24px}
`;

/** Content-Security-Policy of every look-up page: nothing but our stylesheet, our images and our form. */
export const LOOKUP_CSP = publicPageCsp(STYLE, { images: true });

function layout(site: SiteInfo, title: string, body: string): string {
  return publicPage({
    style: STYLE,
    title,
    heading: 'Tra cứu hồ sơ thủ tục hành chính',
    subheading: site.provinceName,
    body: `${body}
<section class="oa"><a href="${e(site.oaLink)}"><img src="/qrcode/zalo-qrcode.jpg" alt="Mã QR Zalo OA ${e(site.oaName)}"></a>
<div><strong>Nhận thông báo qua Zalo</strong><p class="hint">Quét mã hoặc bấm nút để quan tâm Zalo OA “${e(site.oaName)}”, rồi gửi mã hồ sơ để tra cứu bất cứ lúc nào.</p>
<p><a href="${e(site.oaLink)}" id="follow-oa">Quan tâm OA</a></p></div></section>
`,
    footer: 'Thông tin cá nhân chỉ hiển thị khi nhập đúng 4 số cuối điện thoại hoặc CCCD của người nộp.',
    noindex: true,
  });
}

interface FormOptions {
  code?: string;
  message?: string;
  messageKind?: 'error' | 'ok';
}

function lookupFormSection(exampleCode: string, opts: FormOptions = {}) {
  return `<section><h2>Nhập mã hồ sơ</h2>
${opts.message ? `<p class="${opts.messageKind ?? 'error'}" role="alert">${e(opts.message)}</p>` : ''}
<form method="post" action="/tra-cuu">
<label for="code">Mã hồ sơ</label>
<input id="code" name="code" required maxlength="80" autocomplete="off" value="${e(opts.code ?? '')}" placeholder="${e(exampleCode)}">
<p class="hint">${e(codeFormatHint(exampleCode))}</p>
<label for="factor">4 số cuối điện thoại hoặc số CCCD (không bắt buộc)</label>
<input id="factor" name="factor" inputmode="numeric" maxlength="8" autocomplete="off">
<p class="hint">Nhập để xem thêm: họ tên, giấy tờ cần bổ sung, số tiền phải nộp và các tin nhắn đã gửi.</p>
<button type="submit">Tra cứu</button>
</form></section>`;
}

export function lookupFormPage(site: SiteInfo, opts: FormOptions = {}): string {
  return layout(site, 'Tra cứu hồ sơ', lookupFormSection(site.exampleCode, opts));
}

export function lookupResultPage(
  site: SiteInfo,
  v: LookupView,
  notice?: { text: string; kind: 'error' | 'ok' },
): string {
  const late = v.progress?.overdue ? ' class="late"' : '';
  const next = nextStepText(v);
  const d = v.details;
  const rows: [string, string][] = [
    ['Mã hồ sơ', `<span class="code">${codeWithBreaks(v.code)}</span>`],
    ...(d ? ([['Người nộp', e(d.applicantName)]] as [string, string][]) : []),
    ['Thủ tục', e(v.procedureName)],
    ['Cơ quan', e(v.agency.name)],
    ['Ngày nhận', e(vnDateTime(v.receivedAt))],
    ['Ngày hẹn trả', e(formatVnDate(v.appointmentDate))],
    ['Thời hạn', `<span${late}>${e(deadlineText(v))}</span>`],
    ['Cập nhật lúc', e(vnDateTime(v.lastUpdate))],
  ];
  const body = `
${notice ? `<section><p class="${notice.kind}" role="alert">${e(notice.text)}</p></section>` : ''}
<section id="result"><h2>Tình trạng hồ sơ</h2>
<p class="status" id="status">${e(v.statusLabel)}</p>
<p>${e(v.meaning)}</p>
${next ? `<p><strong>Việc cần làm:</strong> ${e(next)}</p>` : ''}
${d?.reason ? `<p><strong>Lý do:</strong> ${e(d.reason)}</p>` : ''}
<dl>${rows.map(([k, val]) => `<dt>${e(k)}</dt><dd>${val}</dd>`).join('')}</dl></section>
<section><h2>Quá trình giải quyết</h2><ol id="history">${v.history
    .map((h) => `<li>${e(vnDateTime(h.at))}: ${e(h.label)}</li>`)
    .join('')}</ol></section>
${
  d
    ? `<section><h2>Thông báo đã gửi cho người nộp</h2>${
        d.notifications.length
          ? `<ol id="notifications">${d.notifications
              .map((n) => `<li>${e(vnDateTime(n.at))}: ${e(n.channelLabel)} — ${e(n.stateLabel)}</li>`)
              .join('')}</ol>`
          : '<p class="hint" id="notifications">Chưa có thông báo nào.</p>'
      }</section>`
    : ''
}
<section><h2>Liên hệ</h2><p>${e(v.agency.name)}${v.agency.address ? `<br>${e(v.agency.address)}` : ''}${
    v.agency.hotline
      ? `<br>Đường dây nóng: <a href="tel:${e(v.agency.hotline.replace(/[^\d+]/g, ''))}">${e(v.agency.hotline)}</a>`
      : ''
  }</p></section>
${v.access === 'public' ? lookupFormSection(site.exampleCode, { code: v.code }) : ''}`;
  return layout(site, `Hồ sơ ${v.code}`, body);
}

export function notFoundPage(site: SiteInfo, code: string): string {
  return lookupFormPage(site, {
    code,
    message: `Không tìm thấy hồ sơ có mã “${code}”. Vui lòng kiểm tra lại mã trên Giấy tiếp nhận hồ sơ.`,
  });
}

export function rateLimitedPage(site: SiteInfo, retryAfterSeconds: number): string {
  return layout(
    site,
    'Tra cứu quá nhiều lần',
    `<section><h2>Bạn tra cứu quá nhiều lần</h2><p class="error" role="alert">Để bảo vệ thông tin hồ sơ, mỗi thiết bị chỉ được tra cứu một số lần trong mỗi phút. Vui lòng thử lại sau ${retryAfterSeconds} giây.</p></section>`,
  );
}

/**
 * A dossier code that a phone's narrow screen breaks after a dash (000.00.01.H50- / 261126-0001), never in the
 * middle of a number a citizen compares with the receipt.
 */
function codeWithBreaks(code: string): string {
  return e(code)
    .split('-')
    .map((part) => `<span>${part}</span>`)
    .join('-<wbr>');
}
