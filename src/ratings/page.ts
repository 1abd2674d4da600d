import { escapeHtml as e } from '../http/html.ts';
import { publicPage, publicPageCsp } from '../http/public-page.ts';
import { RATING_REASONS, REPLACE_WITHIN_DAYS, STAR_LABELS } from './rules.ts';

/**
 * The rating page `/danh-gia/<code>?sig=…`: server-rendered, no script (stars are radio buttons styled by CSS),
 * one inline stylesheet allowed by its hash, usable at 360 px and in Zalo's in-app browser. It shows the
 * dossier's code, procedure and agency — nothing personal.
 */
const STYLE = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f1f5f9;color:#0f172a}
header{background:#0068ff;color:#fff;padding:14px 16px}header h1{font-size:18px;margin:0}header p{margin:2px 0 0;font-size:14px;opacity:.9}
main{max-width:560px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0001}
h2{font-size:17px;margin:0 0 8px}fieldset{border:0;margin:0 0 8px;padding:0}legend{font-weight:600;margin:0 0 6px;padding:0}
.stars{display:flex;flex-direction:row-reverse;justify-content:flex-end;gap:2px}
.stars input{position:absolute;opacity:0;width:1px;height:1px}
.stars label{font-size:40px;line-height:1;color:#cbd5e1;cursor:pointer;padding:2px 4px;min-width:44px;text-align:center}
.stars input:checked~label,.stars label:hover,.stars label:hover~label{color:#f59e0b}
.stars input:focus-visible+label{outline:2px solid #0068ff;border-radius:6px}
.reasons label{display:flex;gap:10px;align-items:center;padding:8px 0;min-height:28px}
.reasons input{width:22px;height:22px;margin:0}
textarea{box-sizing:border-box;width:100%;font:inherit;padding:10px 12px;border:1px solid #94a3b8;border-radius:8px;min-height:96px}
button{margin-top:12px;width:100%;font:inherit;font-weight:600;padding:12px;border:0;border-radius:8px;background:#0068ff;color:#fff}
.hint{color:#475569;font-size:14px;margin:4px 0 0}.error{color:#b91c1c;font-weight:600}.ok{color:#15803d;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;margin:8px 0 0}dt{color:#475569}dd{margin:0;font-weight:500;overflow-wrap:anywhere}
footer{text-align:center;color:#64748b;font-size:13px;padding:8px 0 24px}
`;

export const RATING_CSP = publicPageCsp(STYLE);

function layout(provinceName: string, title: string, body: string): string {
  return publicPage({
    style: STYLE,
    title,
    heading: 'Đánh giá mức độ hài lòng',
    subheading: provinceName,
    body,
    footer: 'Đánh giá không cần đăng nhập và không hiển thị thông tin cá nhân.',
    noindex: true,
  });
}

export interface RatingPageDossier {
  code: string;
  procedureName: string;
  agencyName: string;
  current: { stars: number; reasons: string[]; comment: string } | null;
}

export function ratingFormPage(
  provinceName: string,
  d: RatingPageDossier,
  sig: string,
  notice?: { text: string; kind: 'error' | 'ok' },
): string {
  const c = d.current;
  const stars = [5, 4, 3, 2, 1]
    .map(
      (n) =>
        `<input type="radio" id="star-${n}" name="stars" value="${n}" required${c?.stars === n ? ' checked' : ''}>` +
        `<label for="star-${n}" title="${e(STAR_LABELS[n]!)}" aria-label="${n} sao: ${e(STAR_LABELS[n]!)}">★</label>`,
    )
    .join('');
  const reasons = RATING_REASONS.map(
    (r) =>
      `<label><input type="checkbox" name="reasons" value="${r.key}"${c?.reasons.includes(r.key) ? ' checked' : ''}> ${e(r.label)}</label>`,
  ).join('');
  const body = `
${notice ? `<section><p class="${notice.kind}" role="alert" id="notice">${e(notice.text)}</p></section>` : ''}
<section><h2>Hồ sơ đã giải quyết</h2>
<dl><dt>Mã hồ sơ</dt><dd id="code">${e(d.code)}</dd><dt>Thủ tục</dt><dd>${e(d.procedureName)}</dd><dt>Cơ quan</dt><dd>${e(d.agencyName)}</dd></dl>
</section>
<section><form method="post" action="/danh-gia/${encodeURIComponent(d.code)}">
<input type="hidden" name="sig" value="${e(sig)}">
<fieldset><legend>Ông/bà hài lòng với việc giải quyết hồ sơ ở mức nào?</legend>
<div class="stars">${stars}</div>
<p class="hint">1 sao: rất không hài lòng · 5 sao: rất hài lòng</p></fieldset>
<fieldset class="reasons"><legend>Điều ông/bà muốn ghi nhận (không bắt buộc)</legend>${reasons}</fieldset>
<label for="comment"><strong>Góp ý thêm (không bắt buộc)</strong></label>
<textarea id="comment" name="comment" maxlength="1000">${e(c?.comment ?? '')}</textarea>
<p class="hint">${c ? `Ông/bà đã đánh giá ${c.stars} sao; gửi lại để sửa (trong ${REPLACE_WITHIN_DAYS} ngày kể từ lần đánh giá đầu).` : 'Mỗi hồ sơ được đánh giá một lần; có thể sửa trong 7 ngày.'}</p>
<button type="submit">Gửi đánh giá</button>
</form></section>`;
  return layout(provinceName, `Đánh giá hồ sơ ${d.code}`, body);
}

export function ratingThanksPage(
  provinceName: string,
  code: string,
  stars: number,
  replaced: boolean,
): string {
  return layout(
    provinceName,
    'Cảm ơn ông/bà',
    `<section><h2>Cảm ơn ông/bà đã đánh giá</h2><p class="ok" role="status" id="thanks">${
      replaced ? 'Đã cập nhật' : 'Đã ghi nhận'
    } đánh giá ${stars} sao cho hồ sơ ${e(code)}.</p><p class="hint">Ý kiến của ông/bà giúp cơ quan phục vụ tốt hơn. Lãnh đạo cơ quan sẽ xem xét các đánh giá chưa hài lòng.</p></section>`,
  );
}

export function ratingMessagePage(provinceName: string, title: string, text: string): string {
  return layout(
    provinceName,
    title,
    `<section><h2>${e(title)}</h2><p class="error" role="alert" id="notice">${e(text)}</p></section>`,
  );
}
