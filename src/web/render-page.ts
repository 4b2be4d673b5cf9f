import { escapeHtml } from "./escape-html.js";

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}h2{font-size:1.1rem;margin-top:1.5rem}
a{color:#0969da}code{font:.9em ui-monospace,monospace;background:#f6f8fa;padding:0 .2em;border-radius:4px;overflow-wrap:anywhere}
button{font:inherit;padding:.4rem 1rem;border-radius:6px;border:1px solid #8c959f;background:#f6f8fa;cursor:pointer}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}.actions form{margin:0}
.state{font-weight:600;padding:.4rem .7rem;border-radius:6px;background:#ddf4ff;display:inline-block}
.state.succeeded{background:#dafbe1}.state.failed,.state.cancelled{background:#ffebe9}
.error{color:#82071e}.message{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:.5rem .75rem;border-radius:6px;margin:.25rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{color:#59636e}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d1d9e0;vertical-align:top}
.table{overflow-x:auto}ol.log{list-style:none;padding:0}ol.log>li{padding:.3rem 0;border-bottom:1px solid #eef1f4;overflow-wrap:anywhere}
ol.log time,td time{color:#59636e;font:.85em ui-monospace,monospace}ol.log li.phase{font-weight:600}ol.log li.failed{color:#82071e}
ul.todos,ol.log ul{list-style:none;padding-left:1rem}.task{border-left:4px solid #d1d9e0;padding-left:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}`;

/**
 * A small, readable page in Ship's style (phones included); `body` is trusted HTML.
 * `script` runs only with the page's `nonce`, which the response's CSP names.
 */
export function renderPage(
  title: string,
  body: string,
  options: { script?: string; nonce?: string } = {},
): string {
  const script =
    options.script && options.nonce
      ? `<script nonce="${escapeHtml(options.nonce)}">${options.script}</script>`
      : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)} · Ship</title><style>${style}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main>${script}</body></html>`;
}
