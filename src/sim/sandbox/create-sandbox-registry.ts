import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { createLocalSandbox, type LocalSandbox } from "./create-local-sandbox.js";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";

/** What `POST /v2/sandboxes` asks for, parsed. */
interface CreateSandboxRequest {
  templateId: string;
  metadata: Record<string, string>;
  envVars: Record<string, string>;
  timeoutMs: number;
  allowPublicTraffic: boolean;
}

/** The running sandboxes of one server. */
export interface SandboxRegistry {
  create(request: CreateSandboxRequest): Promise<LocalSandbox>;
  /** A running sandbox; a killed or expired one is gone at once. */
  get(id: string): LocalSandbox | undefined;
  list(): LocalSandbox[];
  /** Kills every sandbox and waits until their processes and directories are gone. */
  killAll(): Promise<void>;
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Keeps the sandboxes of one server, each in `<dir>/<sandbox id>`. */
export function createSandboxRegistry(params: {
  dir: string;
  /** What a sandbox of template `templateId` is made from. */
  templateFor: (templateId: string) => SandboxTemplate;
  log: Logger;
}): SandboxRegistry {
  const sandboxes = new Map<string, LocalSandbox>();
  const dying = new Set<Promise<void>>();

  return {
    async create(request) {
      const id = newSandboxId();
      const dir = path.join(params.dir, id);
      const sandbox = await createLocalSandbox({
        ...request,
        id,
        dir,
        template: params.templateFor(request.templateId),
        log: params.log,
        onGone: (gone, death) => {
          sandboxes.delete(gone.id);
          // Kept until done, so killAll also waits for deaths it did not start (timeouts).
          dying.add(death);
          void death.finally(() => dying.delete(death));
        },
      }).catch(async (error: unknown) => {
        await rm(dir, { recursive: true, force: true });
        throw error;
      });
      if (sandbox.alive) sandboxes.set(id, sandbox);
      params.log.debug({ sandboxId: id, templateId: request.templateId }, "sandbox created");
      return sandbox;
    },
    get: (id) => {
      const sandbox = sandboxes.get(id);
      return sandbox?.alive ? sandbox : undefined;
    },
    list: () => [...sandboxes.values()],
    async killAll() {
      await Promise.all(
        [...sandboxes.values()].map((sandbox) => sandbox.kill("the server stopped")),
      );
      await Promise.all([...dying]);
    },
  };
}

/** E2B's ids are 20 lowercase letters and digits. */
function newSandboxId(): string {
  return [...randomBytes(20)].map((byte) => idAlphabet[byte % idAlphabet.length]).join("");
}
