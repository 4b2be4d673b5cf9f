import type { ApiRequest, ApiResponse, ApiRouter } from "../http/api-router.js";
import { escapeHtml } from "../http/escape-html.js";
import { htmlPage } from "../http/html-page.js";
import { installApp } from "../operations/install-app.js";
import type { Sim } from "../sim.js";

/**
 * The app's public page and its "Install" screen (`/apps/{slug}/installations/new`),
 * so the playground can install an app by clicking, as on GitHub: the form picks the
 * account, the installing user and the repositories; submitting sends
 * `installation.created` and returns to the app's setup URL with `installation_id`.
 */
export function handleInstallPages(router: ApiRouter, sim: Sim): void {
  const { state } = sim;

  const installForm = ({ params }: ApiRequest): ApiResponse => {
    const app = state.appBySlug(params.slug ?? "");
    if (!app) return { status: 404, html: htmlPage("Not found", "<p>No such app.</p>") };
    const accounts = [...state.users.values()].filter((user) => user.type !== "Bot");
    const people = accounts.filter((user) => user.type === "User");
    const option = (login: string) => `<option>${escapeHtml(login)}</option>`;
    return {
      status: 200,
      html: htmlPage(
        `Install ${app.name}`,
        `<form method="post">
<label>Account <select name="account">${accounts.map((user) => option(user.login)).join("")}</select></label>
<label>Installing as <select name="installer">${people.map((user) => option(user.login)).join("")}</select></label>
<label>Repositories (names, comma-separated; empty for all) <input name="repositories"></label>
<button type="submit">Install</button></form>`,
      ),
    };
  };

  router.route("GET", "/apps/:slug", installForm, { authenticate: false });
  router.route("GET", "/apps/:slug/installations/new", installForm, { authenticate: false });
  router.route(
    "POST",
    "/apps/:slug/installations/new",
    ({ params, body }) => {
      const app = state.appBySlug(params.slug ?? "");
      if (!app) return { status: 404, html: htmlPage("Not found", "<p>No such app.</p>") };
      const names = String(body.repositories ?? "")
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      let installationId: number;
      try {
        installationId = installApp(sim, {
          appId: app.id,
          account: String(body.account ?? ""),
          installer: String(body.installer ?? body.account ?? ""),
          repositories: names.length > 0 ? names : "all",
        }).installation.id;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          status: 422,
          html: htmlPage("Could not install", `<p>${escapeHtml(message)}</p>`),
        };
      }
      if (app.setupUrl) {
        const target = new URL(app.setupUrl);
        target.searchParams.set("installation_id", String(installationId));
        target.searchParams.set("setup_action", "install");
        return { status: 302, redirect: target.toString() };
      }
      return {
        status: 200,
        html: htmlPage(
          "Installed",
          `<p>Installation ${installationId} of ${escapeHtml(app.name)}.</p>`,
        ),
      };
    },
    { authenticate: false },
  );
}
