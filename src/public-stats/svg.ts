import { escapeHtml as e } from '../http/html.ts';

/**
 * Charts drawn on the server as inline SVG: no script, no third party, a few hundred bytes each, sharp on any
 * screen. Each has a <title> and is marked `aria-hidden` for screen readers, which read the table beside it.
 */
export interface Series {
  name: string;
  color: string;
  /** null: a hidden figure (group too small); drawn as no bar. */
  values: (number | null)[];
}

// About a phone's width: the text stays legible at 360 px and simply grows on a wide screen.
const W = 400;
const H = 240;
const PAD = { left: 44, right: 8, top: 12, bottom: 44 };

function niceMax(v: number): number {
  if (v <= 0) {
    return 1;
  }
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
}

/** Grouped vertical bars: one group per label, one bar per series. */
export function barChart(o: {
  id: string;
  title: string;
  labels: string[];
  series: Series[];
  /** Fixed top of the scale (1 for rates); otherwise a round number above the largest value. */
  max?: number;
  format: (v: number) => string;
}): string {
  const all = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = o.max ?? niceMax(Math.max(0, ...all));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, o.labels.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, o.series.length));
  const y = (v: number) => PAD.top + plotH - (Math.min(v, max) / max) * plotH;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const gy = PAD.top + plotH - f * plotH;
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${gy}" y2="${gy}" stroke="#e2e8f0"/><text x="${PAD.left - 4}" y="${gy + 4}" text-anchor="end" font-size="12" fill="#475569">${e(o.format(max * f))}</text>`;
    })
    .join('');
  const bars = o.labels
    .map((label, i) => {
      const x0 = PAD.left + i * groupW + groupW * 0.1;
      const rects = o.series
        .map((s, j) => {
          const v = s.values[i];
          if (v === null || v === undefined) {
            return '';
          }
          const top = y(v);
          return `<rect x="${(x0 + j * barW).toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}" fill="${s.color}"><title>${e(`${label} · ${s.name}: ${o.format(v)}`)}</title></rect>`;
        })
        .join('');
      return `${rects}<text x="${(PAD.left + i * groupW + groupW / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="12" fill="#334155">${e(label)}</text>`;
    })
    .join('');
  const legend = o.series
    .map(
      (s, j) =>
        `<rect x="${PAD.left + j * 140}" y="${H - 14}" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + j * 140 + 14}" y="${H - 5}" font-size="12" fill="#334155">${e(s.name)}</text>`,
    )
    .join('');
  return `<svg id="${e(o.id)}" class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><title>${e(o.title)}</title>${grid}${bars}${legend}</svg>`;
}

/** Horizontal bars of the star distribution (5 stars on top). */
export function starsChart(id: string, title: string, stars: number[] | null): string {
  const total = (stars ?? []).reduce((a, b) => a + b, 0);
  const rows = [5, 4, 3, 2, 1]
    .map((n, i) => {
      const v = stars ? stars[n - 1]! : 0;
      const w = total > 0 ? (v / total) * 280 : 0;
      const y = 10 + i * 28;
      return `<text x="0" y="${y + 14}" font-size="13" fill="#334155">${n} sao</text><rect x="56" y="${y}" width="${w.toFixed(1)}" height="18" fill="#f59e0b"/><text x="${(62 + w).toFixed(1)}" y="${y + 14}" font-size="12" fill="#334155">${stars ? v : '—'}</text>`;
    })
    .join('');
  return `<svg id="${e(id)}" class="chart" viewBox="0 0 400 150" width="100%" role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><title>${e(title)}</title>${rows}</svg>`;
}
