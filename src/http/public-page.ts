import { createHash } from 'node:crypto';
import { escapeHtml as e } from './html.ts';

/**
 * The frame the citizens' server-rendered pages share (the look-up /tra-cuu, the rating page /danh-gia, the
 * scoreboard /cong-khai): no script at all, one inline stylesheet allowed by its hash, readable in Zalo's
 * in-app browser on a small phone.
 */
export interface PublicPage {
  /** The page's inline stylesheet (its hash goes in the CSP: publicPageCsp). */
  style: string;
  title: string;
  heading: string;
  /** The line under the heading: the province. */
  subheading: string;
  /** HTML inside <main>. */
  body: string;
  /** Plain text of the footer. */
  footer: string;
  /** Pages reached by a personal link (a dossier's code and signature) stay out of search engines. */
  noindex?: boolean;
}

export function publicPage(p: PublicPage): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
${p.noindex ? '<meta name="robots" content="noindex">\n' : ''}<title>${e(p.title)}</title><style>${p.style}</style></head><body>
<header><h1>${e(p.heading)}</h1><p>${e(p.subheading)}</p></header>
<main>${p.body}</main><footer>${e(p.footer)}</footer>
</body></html>`;
}

/** The Content-Security-Policy of such a page: its stylesheet, our own images if it shows some, our own forms. */
export function publicPageCsp(style: string, opts: { images?: boolean } = {}): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    ...(opts.images ? ["img-src 'self'"] : []),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}
