import { escapeHtml } from "./escape-html.js";

/** A minimal HTML page for the fake's web screens (authorize, install); `body` is trusted. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · fake GitHub</title>
<style>body{font:15px system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.6rem 0}button{font:inherit;padding:.4rem 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
