import { escapeHtml } from "./escape-html.js";

/**
 * Ship's own page before GitHub's authorize screen: why one signs in (from the page they
 * came from) and what authorizing changes, in the terms of this Ship's settings, then a
 * button on to GitHub. GitHub's screen only says Ship "wants to act on your behalf".
 */
export function renderSignInPage(params: {
  /** The path on Ship to come back to. */
  returnTo: string;
  /** Where the button goes: Ship's `/auth/login`, which sends the browser to GitHub. */
  continueUrl: string;
  actAs: "user" | "app";
  installerStandsIn: boolean;
  /** The installer's login, when Ship may name them (see `findSoleInstaller`). */
  installer: string | undefined;
  githubUrl: string;
}): string {
  const settings = `${params.githubUrl}/settings/apps/authorizations`;
  const revoke = `You can revoke this any time in GitHub's settings (<a href="${escapeHtml(settings)}">Applications</a>).`;
  let effect: string;
  if (params.actAs === "app") {
    effect =
      "Signing in only tells Ship who you are. Pull requests and commits stay Ship's own (its app's bot), whoever asks: this Ship acts as its app for everyone.";
  } else if (params.installerStandsIn) {
    const installer = params.installer
      ? `@${escapeHtml(params.installer)}'s name`
      : "the name of the person who installed Ship";
    effect = `Authorizing also lets Ship open pull requests and push commits in your name when you ask it to, instead of in ${installer}.`;
  } else {
    effect =
      "Authorizing also lets Ship open pull requests and push commits in your name when you ask it to. Until you authorize, Ship asks you to authorize first whenever you ask it for a change.";
  }
  return `<p><strong>${escapeHtml(purpose(params.returnTo))}</strong> ${effect} ${revoke}</p>
<p>GitHub's next screen says Ship "wants to act on your behalf": that is what it means.</p>
<p class="actions"><a class="button primary" href="${escapeHtml(params.continueUrl)}">Continue to GitHub</a> <a class="button" href="/">Not now</a></p>`;
}

/** Why this visitor is asked to sign in, from where they are going. */
function purpose(returnTo: string): string {
  const path = returnTo.split("?")[0] ?? "";
  if (/^\/runs\/\d+\/retry$/.test(path)) return "Sign in with GitHub to retry this run.";
  if (/^\/runs\/\d+$/.test(path)) return "Sign in with GitHub to see this run.";
  if (path === "/runs") return "Sign in with GitHub to see this repository's runs.";
  return "Sign in with GitHub to see the runs of the repositories you can read.";
}
