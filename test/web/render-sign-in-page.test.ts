import { renderSignInPage } from "../../src/web/render-sign-in-page.js";
import { renderViewerBar } from "../../src/web/render-viewer-bar.js";

/** What the sign-in page promises follows whom this Ship acts as. */
describe("renderSignInPage", () => {
  const page = (overrides: Partial<Parameters<typeof renderSignInPage>[0]>) =>
    renderSignInPage({
      returnTo: "/runs/1",
      continueUrl: "/auth/login?return_to=%2Fruns%2F1",
      actAs: "user",
      installerStandsIn: false,
      installer: "alice",
      githubUrl: "https://github.example",
      ...overrides,
    });

  it("with the installer standing in, says PRs become yours instead of the installer's", () => {
    expect(page({ installerStandsIn: true })).toContain(
      "Authorizing also lets Ship open pull requests and push commits in your name when you ask it to, instead of in @alice's name.",
    );
    expect(page({ installerStandsIn: true, installer: undefined })).toContain(
      "instead of in the name of the person who installed Ship.",
    );
  });

  it("without a stand-in, says requests ask to authorize first until one does", () => {
    const html = page({});
    expect(html).toContain(
      "Until you authorize, Ship asks you to authorize first whenever you ask it for a change.",
    );
    expect(html).not.toContain("alice");
  });

  it("when Ship acts as its app, says pull requests stay the bot's", () => {
    const html = page({ actAs: "app", installerStandsIn: true });
    expect(html).toContain(
      "Pull requests and commits stay Ship's own (its app's bot), whoever asks",
    );
    expect(html).not.toContain("in your name");
  });

  it("says why from where the visitor is going, and links GitHub's settings to revoke", () => {
    expect(page({})).toContain("Sign in with GitHub to see this run.");
    expect(page({ returnTo: "/runs/1/retry?token=x" })).toContain(
      "Sign in with GitHub to retry this run.",
    );
    expect(page({ returnTo: "/runs?repo=a/b" })).toContain(
      "Sign in with GitHub to see this repository&#39;s runs.",
    );
    expect(page({})).toContain(
      '(<a href="https://github.example/settings/apps/authorizations">Applications</a>)',
    );
  });
});

describe("renderViewerBar", () => {
  it("links home and says who is signed in, escaped, with sign-out back to the page", () => {
    const html = renderViewerBar({ session: { userId: 1, login: "<b>" } }, "/runs/1");
    expect(html).toContain('<a href="/" class="home">');
    expect(html).toContain(
      'Signed in as <strong>@&#60;b&#62;</strong> · <a href="/auth/sign-out?return_to=%2Fruns%2F1">Sign out</a>',
    );
  });

  it("offers Ship's sign-in page, never GitHub's, to a visitor", () => {
    expect(renderViewerBar({}, "/runs/1")).toContain(
      '<a href="/auth/sign-in?return_to=%2Fruns%2F1">Sign in</a>',
    );
  });
});
