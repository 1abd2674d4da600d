import { escapeHtml as e } from '../http/html.ts';
import { publicPage, publicPageCsp } from '../http/public-page.ts';
import { MIN_GROUP, type PublicFigures } from './service.ts';
import { barChart, starsChart } from './svg.ts';

/**
 * `/cong-khai`: the public scoreboard in the spirit of QĐ 766, server-rendered, no script, no third-party
 * resource, one inline stylesheet allowed by its hash. Every chart has a table beside it with the same figures.
 */
const STYLE = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f1f5f9;color:#0f172a}
header{background:#0068ff;color:#fff;padding:14px 16px}header h1{font-size:19px;margin:0}header p{margin:2px 0 0;font-size:14px;opacity:.9}
main{max-width:1080px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0001}
h2{font-size:17px;margin:0 0 8px}.hint{color:#475569;font-size:13px;margin:4px 0 0}
form{display:flex;flex-wrap:wrap;gap:8px;align-items:end}label{display:flex;flex-direction:column;font-weight:600;font-size:14px}
select{max-width:100%}select,button{font:inherit;padding:8px 10px;border:1px solid #94a3b8;border-radius:8px;background:#fff}button{background:#0068ff;color:#fff;border:0;font-weight:600}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px;align-items:start}
@media (max-width:720px){.pair{grid-template-columns:1fr}}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid #e2e8f0;text-align:right;white-space:nowrap}th:first-child,td:first-child{text-align:left;white-space:normal;min-width:9em}
thead th{background:#f8fafc;position:sticky;top:0}caption{text-align:left;font-weight:600;padding:0 0 6px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px}.kpi{background:#f8fafc;border-radius:10px;padding:10px}
.kpi b{display:block;font-size:22px}.kpi span{color:#475569;font-size:13px}a{color:#0052cc}
footer{text-align:center;color:#64748b;font-size:13px;padding:8px 0 24px}
`;

export const SCOREBOARD_CSP = publicPageCsp(STYLE);

const nf1 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const dash = '—';
const count = (v: number | null) => (v === null ? dash : new Intl.NumberFormat('vi-VN').format(v));
const pct = (v: number | null) => (v === null ? dash : `${nf1.format(v * 100)} %`);
const days = (v: number | null) => (v === null ? dash : nf1.format(v));
const avg = (v: number | null) => (v === null ? dash : nf2.format(v));
const monthLabel = (p: string) => (p.length === 7 ? `${p.slice(5)}/${p.slice(0, 4)}` : p);

export interface ScoreboardInput {
  provinceName: string;
  year: number;
  years: number[];
  agencies: { code: string; name: string }[];
  agency: { code: string; name: string } | null;
  /** Months of the year for the selected scope (province or agency). */
  months: PublicFigures[];
  /** The whole year for the selected scope. */
  total: PublicFigures | null;
  /** The year per agency (province scope only). */
  perAgency: PublicFigures[];
}

function table(caption: string, head: string[], rows: string[][], id: string): string {
  return `<div class="scroll"><table id="${e(id)}"><caption>${e(caption)}</caption><thead><tr>${head
    .map((h) => `<th scope="col">${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${
    rows.length
      ? rows
          .map(
            (r) =>
              `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td>${e(c)}</td>`)).join('')}</tr>`,
          )
          .join('')
      : `<tr><td colspan="${head.length}">Chưa có số liệu.</td></tr>`
  }</tbody></table></div>`;
}

export function scoreboardPage(i: ScoreboardInput): string {
  const scope = i.agency?.name ?? i.provinceName;
  const t = i.total;
  // T1…T12 under the bars (twelve dates do not fit a phone); the tables give the full month.
  const labels = i.months.map((m) => `T${Number(m.period.slice(5))}`);
  const query = `from=${i.year}-01&to=${i.year}-12${i.agency ? `&agency=${encodeURIComponent(i.agency.code)}` : ''}`;
  const kpis = [
    ['Hồ sơ tiếp nhận', count(t?.received ?? null)],
    ['Hồ sơ đã giải quyết', count(t?.resolved ?? null)],
    ['Tỷ lệ đúng hạn', pct(t?.onTimeRate ?? null)],
    ['Thời gian giải quyết TB (ngày làm việc)', days(t?.avgProcessingWorkingDays ?? null)],
    ['Tỷ lệ người dân nhận tin qua Zalo', pct(t?.zaloReachedShare ?? null)],
    ['Mức độ hài lòng TB (1–5 sao)', avg(t?.satisfactionAverage ?? null)],
    ['Số lượt đánh giá', count(t?.ratings ?? null)],
  ];
  const body = `
<section><h2>Chọn phạm vi</h2>
<form method="get" action="/cong-khai">
<label>Năm<select name="year">${i.years.map((y) => `<option${y === i.year ? ' selected' : ''}>${y}</option>`).join('')}</select></label>
<label>Cơ quan<select name="agency"><option value="">Toàn tỉnh</option>${i.agencies
    .map(
      (a) =>
        `<option value="${e(a.code)}"${a.code === i.agency?.code ? ' selected' : ''}>${e(a.name)}</option>`,
    )
    .join('')}</select></label>
<button type="submit">Xem</button></form>
<p class="hint">Số liệu cập nhật mỗi phút. Nhóm có dưới ${MIN_GROUP} hồ sơ (hoặc dưới ${MIN_GROUP} lượt đánh giá) không hiển thị số liệu (—) để bảo vệ thông tin cá nhân.</p></section>
<section id="summary"><h2>${e(scope)} · năm ${i.year}</h2>
<div class="kpis">${kpis.map(([k, v]) => `<div class="kpi"><b>${e(v!)}</b><span>${e(k!)}</span></div>`).join('')}</div></section>
<section><h2>Hồ sơ tiếp nhận và đã giải quyết theo tháng</h2><div class="pair">
${barChart({
  id: 'chart-volume',
  title: `Hồ sơ tiếp nhận và đã giải quyết theo tháng, ${scope}, năm ${i.year}`,
  labels,
  series: [
    { name: 'Tiếp nhận', color: '#0068ff', values: i.months.map((m) => m.received) },
    { name: 'Đã giải quyết', color: '#16a34a', values: i.months.map((m) => m.resolved) },
  ],
  format: (v) => nf1.format(v),
})}
${table(
  'Hồ sơ theo tháng',
  ['Tháng', 'Tiếp nhận', 'Đã giải quyết'],
  i.months.map((m) => [monthLabel(m.period), count(m.received), count(m.resolved)]),
  'table-volume',
)}
</div></section>
<section><h2>Tỷ lệ giải quyết đúng hạn và thời gian giải quyết</h2><div class="pair">
${barChart({
  id: 'chart-on-time',
  title: `Tỷ lệ giải quyết đúng hạn theo tháng, ${scope}, năm ${i.year}`,
  labels,
  series: [{ name: 'Tỷ lệ đúng hạn', color: '#0ea5e9', values: i.months.map((m) => m.onTimeRate) }],
  max: 1,
  format: (v) => `${nf1.format(v * 100)} %`,
})}
${table(
  'Đúng hạn theo tháng',
  ['Tháng', 'Đúng hạn', 'Tỷ lệ', 'TB ngày làm việc', 'Nhận tin Zalo'],
  i.months.map((m) => [
    monthLabel(m.period),
    count(m.onTime),
    pct(m.onTimeRate),
    days(m.avgProcessingWorkingDays),
    pct(m.zaloReachedShare),
  ]),
  'table-on-time',
)}
</div></section>
<section><h2>Mức độ hài lòng</h2><div class="pair">
${starsChart('chart-stars', `Phân bố số sao đánh giá, ${scope}, năm ${i.year}`, t?.stars ?? null)}
${table(
  'Số lượt đánh giá theo số sao',
  ['Số sao', 'Số lượt'],
  [5, 4, 3, 2, 1].map((n) => [`${n} sao`, t?.stars ? count(t.stars[n - 1]!) : dash]),
  'table-stars',
)}
</div></section>
${
  i.agency
    ? ''
    : `<section><h2>Theo cơ quan · năm ${i.year}</h2>${table(
        'Chỉ số theo cơ quan',
        [
          'Cơ quan',
          'Tiếp nhận',
          'Đã giải quyết',
          'Đúng hạn',
          'TB ngày làm việc',
          'Nhận tin Zalo',
          'Hài lòng TB',
          'Lượt đánh giá',
        ],
        i.perAgency.map((a) => [
          a.agencyName,
          count(a.received),
          count(a.resolved),
          pct(a.onTimeRate),
          days(a.avgProcessingWorkingDays),
          pct(a.zaloReachedShare),
          avg(a.satisfactionAverage),
          count(a.ratings),
        ]),
        'table-agencies',
      )}</section>`
}
<section><h2>Dữ liệu mở</h2><p>Tải về cùng số liệu: <a href="/api/public/stats?${e(query)}" id="open-json">JSON</a> · <a href="/api/public/stats.csv?${e(query)}" id="open-csv">CSV</a>.</p>
<p class="hint">Tỷ lệ đúng hạn theo QĐ 766/QĐ-TTg: hồ sơ kết thúc xử lý không muộn hơn ngày hẹn trả ban đầu và không quá một lần yêu cầu bổ sung. Thời gian giải quyết tính bằng ngày làm việc từ ngày tiếp nhận đến ngày kết thúc.</p></section>`;
  const heading = 'Công khai kết quả giải quyết thủ tục hành chính';
  return publicPage({
    style: STYLE,
    title: `${heading} · ${i.provinceName}`,
    heading,
    subheading: i.provinceName,
    body,
    footer: 'Không có dữ liệu cá nhân trên trang này.',
  });
}
