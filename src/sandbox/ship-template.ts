import { Template, type TemplateBuilder } from "e2b";
import { opencodeVersion } from "./opencode-version.js";

/**
 * Ship's E2B sandbox template: Debian with Node 20, git, ripgrep (OpenCode's grep and
 * glob tools need it) and OpenCode at the pinned version, used by a non-root `user`
 * whose home is the working directory, as in E2B's own templates. Build it with
 * `npm run template:build` and set `SHIP_SANDBOX_TEMPLATE` to what it prints.
 */
export function shipTemplate(): TemplateBuilder {
  return Template()
    .fromNodeImage("20-bookworm")
    .setUser("root")
    .aptInstall(["git", "ripgrep", "ca-certificates", "curl", "less", "procps"], {
      noInstallRecommends: true,
    })
    .npmInstall(`opencode-ai@${opencodeVersion}`, { g: true })
    .runCmd("id -u user >/dev/null 2>&1 || useradd --create-home --shell /bin/bash user")
    .setUser("user")
    .setWorkdir("/home/user");
}
