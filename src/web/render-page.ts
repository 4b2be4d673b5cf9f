import { escapeHtml } from "./escape-html.js";

/**
 * Colours are variables so one block gives every page its dark mode (GitHub's palette);
 * state pills: green done, red failed, grey cancelled, blue running, amber queued.
 */
const style = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--link:#0969da;--err:#82071e;--add:#1a7f37;--del:#cf222e;--add-bg:#e6ffec;--del-bg:#ffebe9;
--ok-bg:#dafbe1;--ok-fg:#116329;--bad-bg:#ffebe9;--bad-fg:#82071e;--run-bg:#ddf4ff;--run-fg:#0550ae;--wait-bg:#fff8c5;--wait-fg:#7d4e00;--grey-bg:#eaeef2;--grey-fg:#424a53;--primary:#1f883d;--on-primary:#fff}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--soft:#151b23;--link:#4493f8;--err:#ff7b72;--add:#3fb950;--del:#f85149;--add-bg:#12261e;--del-bg:#25171c;
--ok-bg:#1c3a27;--ok-fg:#56d364;--bad-bg:#4a1a1e;--bad-fg:#ff9492;--run-bg:#132f4c;--run-fg:#79c0ff;--wait-bg:#3b2e0a;--wait-fg:#e3b341;--grey-bg:#2d333b;--grey-fg:#c9d1d9;--primary:#238636;--on-primary:#fff}}
body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;line-height:1.25;overflow-wrap:anywhere}h2{font-size:1.1rem;margin-top:1.5rem}
a{color:var(--link)}code{font:.9em ui-monospace,monospace;background:var(--soft);padding:0 .2em;border-radius:4px;overflow-wrap:anywhere}
button,.button{font:inherit;padding:.4rem 1rem;border-radius:6px;border:1px solid var(--line);background:var(--soft);color:var(--fg);cursor:pointer;text-decoration:none;display:inline-block}
.button.primary{background:var(--primary);border-color:var(--primary);color:var(--on-primary);font-weight:600}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}.actions form{margin:0}
.state,.pill{font-weight:600;padding:.4rem .7rem;border-radius:6px;background:var(--run-bg);color:var(--run-fg);display:inline-block;margin:0}
.pill{padding:.05rem .5rem;border-radius:2em;font-size:.85rem;white-space:nowrap}
.state.succeeded,.pill.succeeded{background:var(--ok-bg);color:var(--ok-fg)}.state.failed,.pill.failed{background:var(--bad-bg);color:var(--bad-fg)}
.state.cancelled,.pill.cancelled{background:var(--grey-bg);color:var(--grey-fg)}.state.queued,.pill.queued{background:var(--wait-bg);color:var(--wait-fg)}
.card{border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;margin:1rem 0}.card .facts{margin:.75rem 0}.card .actions{margin:.5rem 0 0}
.error{color:var(--err)}.message{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);padding:.5rem .75rem;border-radius:6px;margin:.25rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.table{overflow-x:auto}ol.log{list-style:none;padding:0}ol.log>li{padding:.3rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
ol.log time,td time,.local{color:var(--muted);font:.85em ui-monospace,monospace}ol.log li.phase,ol.log li.starting{font-weight:600}ol.log li.failed{color:var(--err)}
ul.todos,ol.log ul{list-style:none;padding-left:1rem}.task{border-left:4px solid var(--line);padding-left:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
ul.files{list-style:none;padding:0}ul.files>li{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;overflow:hidden}
ul.files summary{padding:.35rem .6rem;cursor:pointer;background:var(--soft);overflow-wrap:anywhere}ul.files .plain{padding:.35rem .6rem}
.add{color:var(--add)}.del{color:var(--del)}
pre.diff{margin:0;padding:.4rem 0;overflow-x:auto;font:.8rem/1.4 ui-monospace,monospace}pre.diff>span{display:block;padding:0 .6rem;white-space:pre}
pre.diff .a{background:var(--add-bg)}pre.diff .d{background:var(--del-bg)}pre.diff .h{color:var(--muted)}.note{color:var(--muted);padding:.35rem .6rem;margin:0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
select,input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.25rem .4rem}
@media (max-width:600px){table.runs thead{display:none}table.runs,table.runs tbody,table.runs tr,table.runs td{display:block;width:auto}
table.runs tr{border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem;margin:.6rem 0}table.runs td{border:0;padding:.1rem 0}
table.runs td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}.table{overflow-x:visible}}`;

/**
 * A small, readable page in Ship's style (phones included); `body` is trusted HTML.
 * `script` runs only with the page's `nonce`, which the response's CSP names.
 */
export function renderPage(
  title: string,
  body: string,
  options: {
    script?: string;
    nonce?: string;
    /**
     * The header slot (trusted HTML): pages that know who is looking pass
     * `renderViewerBar(readSession(req, signer), returnTo)` ("Ship" home link plus
     * "Signed in as @bob · Sign out" or "Sign in"); without it, only the home link.
     */
    header?: string;
  } = {},
): string {
  const script =
    options.script && options.nonce
      ? `<script nonce="${escapeHtml(options.nonce)}">${options.script}</script>`
      : "";
  const header =
    options.header ??
    '<header class="bar" style="margin-bottom:1rem"><a href="/" class="home"><strong>Ship</strong></a></header>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)} · Ship</title><style>${style}</style></head><body>${header}<main><h1>${escapeHtml(title)}</h1>${body}</main>${script}</body></html>`;
}
