import type { LocalSandbox } from "./create-local-sandbox.js";
import type { SandboxEntry } from "./create-sandbox-registry.js";

/**
 * The envd version reported: new enough for every SDK feature the stand-in serves
 * (closeStdin needs 0.5.2, streamed uploads 0.5.7), too old for those it does not
 * (file metadata 0.6.2), which the SDK then refuses itself.
 */
const envdVersion = "0.5.7";

/** The control plane's views of a sandbox, as E2B's OpenAPI description names them. */
export const sandboxApiJson = {
  /** `Sandbox`: what create, connect, resume and fork return. */
  created(sandbox: LocalSandbox) {
    return {
      sandboxID: sandbox.id,
      templateID: sandbox.templateId,
      clientID: "local",
      envdVersion,
      envdAccessToken: sandbox.envdAccessToken,
      trafficAccessToken: sandbox.trafficAccessToken ?? null,
      domain: null,
    };
  },

  /** `ListedSandbox`: an entry of the list. */
  listed({ sandbox, alias }: SandboxEntry) {
    return {
      sandboxID: sandbox.id,
      templateID: sandbox.templateId,
      ...(alias === undefined ? {} : { alias }),
      clientID: "local",
      cpuCount: 2,
      memoryMB: 512,
      diskSizeMB: 1024,
      envdVersion,
      metadata: sandbox.metadata,
      startedAt: sandbox.startedAt.toISOString(),
      endAt: sandbox.endAt.toISOString(),
      state: sandbox.paused ? "paused" : "running",
    };
  },

  /** `SandboxDetail`: what get-info returns. */
  detail(entry: SandboxEntry) {
    const { sandbox, lifecycle } = entry;
    return {
      ...sandboxApiJson.listed(entry),
      envdAccessToken: sandbox.envdAccessToken,
      allowInternetAccess: null,
      domain: null,
      network: { allowPublicTraffic: sandbox.trafficAccessToken === undefined },
      lifecycle: { onTimeout: lifecycle.onTimeout, autoResume: lifecycle.autoResume },
    };
  },
};
