/** Where to send HTTP requests for a port inside a sandbox, and the headers that route them. */
export interface SandboxPortUrl {
  /** Base URL without a trailing slash; append the path, e.g. `${baseUrl}/event`. */
  baseUrl: string;
  /** Send these with every request (SSE included); they pick the sandbox and the port. */
  headers: Record<string, string>;
}

/**
 * The one way Ship reaches a server listening on `port` inside a sandbox (OpenCode's
 * HTTP API and its event stream), the same against E2B and against the local
 * stand-in: E2B's shared sandbox host with routing headers, exactly how the SDK itself
 * reaches envd (port 49983) in every sandbox.
 *
 * Why this works on real E2B: for E2B's domains (`e2b.app`, ...) the SDK sends all
 * envd traffic to `https://sandbox.<domain>` with `E2b-Sandbox-Id` and
 * `E2b-Sandbox-Port` headers (`ConnectionConfig.getSandboxUrl` and the `Sandbox`
 * constructor in e2b 2.51.0). E2B's proxy routes by those headers for *any* port when
 * the host is `sandbox.<domain>` or loopback, and falls back to the
 * `<port>-<id>.<domain>` host only without them (`GetTargetFromRequest` in
 * e2b-dev/infra `packages/shared/pkg/proxy/host.go`); nothing there is specific to
 * envd's port. With `E2B_SANDBOX_URL` set (the stand-in, or a self-hosted gateway)
 * that URL replaces the shared host, as it does for the SDK. `getHost(port)`'s
 * per-port host name would need wildcard DNS and TLS that the stand-in cannot have.
 *
 * A sandbox created with `network.allowPublicTraffic: false` also needs its traffic
 * token, sent as `e2b-traffic-access-token`. Servers inside must listen on 0.0.0.0
 * to be reachable on E2B (the stand-in shares the host's loopback either way).
 */
export function sandboxPortUrl(
  sandbox: { sandboxId: string; sandboxDomain?: string; trafficAccessToken?: string },
  port: number,
  /** Ship's `config.sandbox`: `E2B_SANDBOX_URL` and `E2B_DOMAIN`. */
  settings: { sandboxUrl?: string | undefined; domain?: string | undefined },
): SandboxPortUrl {
  const domain = sandbox.sandboxDomain || settings.domain || "e2b.app";
  const baseUrl = (settings.sandboxUrl ?? `https://sandbox.${domain}`).replace(/\/+$/, "");
  const headers: Record<string, string> = {
    "E2b-Sandbox-Id": sandbox.sandboxId,
    "E2b-Sandbox-Port": String(port),
  };
  if (sandbox.trafficAccessToken) headers["e2b-traffic-access-token"] = sandbox.trafficAccessToken;
  return { baseUrl, headers };
}
