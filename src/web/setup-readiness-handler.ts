import type { Handler } from "./start-web-server.js";

/** `GET /readyz` before the GitHub App exists: 503, saying where to register it. */
export function setupReadinessHandler(registerUrl: string): Handler {
  return (req, res) => {
    if (req.url?.split("?")[0] !== "/readyz") return false;
    res.writeHead(503, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(`not configured: open ${registerUrl} to register the GitHub App\n`);
    return true;
  };
}
