import { escapeHtml } from '../http/html.ts';

export { escapeHtml };

/** Small server-rendered pages of the sandbox (consent page, phone simulator, admin). */

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, 'Be Vietnam Pro', sans-serif; margin: 0; background: #eef2f7; color: #1f2937; }
  main { max-width: 440px; margin: 0 auto; min-height: 100vh; background: #fff; display: flex; flex-direction: column; }
  header { background: #0068ff; color: #fff; padding: 12px 16px; font-weight: 600; }
  .pad { padding: 12px 16px; }
  button, input, select { font: inherit; padding: 8px 10px; border-radius: 8px; border: 1px solid #cbd5e1; }
  button, label.button { background: #fff; cursor: pointer; }
  label.button { display: inline-block; padding: 8px 10px; border-radius: 8px; border: 1px solid #0068ff; color: #0068ff; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; border: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .row > input:not([type=checkbox]) { flex: 1 1 10em; min-width: 0; }
  button.primary { background: #0068ff; color: #fff; border-color: #0068ff; }
  .error { color: #b91c1c; }
  .muted { color: #6b7280; font-size: 13px; }
  .thread { flex: 1; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: #e9eef5; overflow-y: auto; }
  .bubble { max-width: 85%; padding: 8px 12px; border-radius: 12px; background: #fff; white-space: pre-wrap; }
  .bubble.me { align-self: flex-end; background: #d4e6ff; }
  .bubble.sms { background: #ecfdf5; border: 1px solid #a7f3d0; }
  .bubble.sms.held { background: #fffbeb; border: 1px dashed #f59e0b; }
  .bubble .meta { font-size: 11px; color: #6b7280; margin-top: 4px; }
  .bubble .title { font-weight: 600; margin-bottom: 4px; }
  .bubble a.button { display: inline-block; margin-top: 6px; padding: 4px 10px; border: 1px solid #0068ff; border-radius: 6px; color: #0068ff; text-decoration: none; }
  .composer { display: flex; gap: 8px; padding: 8px; border-top: 1px solid #e5e7eb; }
  .composer input { flex: 1; min-width: 0; }
  .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 6px 0; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  td, th { border-bottom: 1px solid #e5e7eb; padding: 4px; text-align: left; }
  .rating { margin-top: 6px; display: flex; flex-direction: column; gap: 4px; white-space: normal; }
  .rating .stars { display: flex; gap: 2px; }
  .rating button.star { border: 0; background: none; font-size: 28px; line-height: 1; padding: 2px 4px; color: #f59e0b; }
  iframe { width: 100%; height: 60vh; border: 1px solid #cbd5e1; border-radius: 8px; }
</style></head><body><main>${body}</main>${script ? `<script type="module">${script}</script>` : ''}</body></html>`;
}
