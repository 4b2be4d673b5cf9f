/**
 * A person authorizes Ship through GitHub's web flow, the way a browser would, without
 * one: Ship's `/auth/login` -> the (fake) GitHub authorize page, approved as `login` ->
 * Ship's callback with the code and the state cookie. Returns where Ship sent them and
 * the cookies Ship set (its session), for tests that go on as that person.
 */
export async function authorizeShipAs(params: {
  shipUrl: string;
  login: string;
  returnTo?: string;
}): Promise<{ location: string; cookies: string }> {
  const start = new URL(`${params.shipUrl}/auth/login`);
  if (params.returnTo) start.searchParams.set("return_to", params.returnTo);
  const login = await fetch(start, { redirect: "manual" });
  const stateCookie = cookiesOf(login);
  const authorize = new URL(
    required(login.headers.get("location"), "Ship did not redirect to GitHub"),
  );
  authorize.searchParams.set("login", params.login);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = required(
    approved.headers.get("location"),
    "GitHub did not redirect back to Ship",
  );
  const done = await fetch(callback, { redirect: "manual", headers: { cookie: stateCookie } });
  if (done.status !== 302)
    throw new Error(`Ship's callback answered ${done.status}: ${await done.text()}`);
  return {
    location: required(done.headers.get("location"), "no redirect"),
    cookies: cookiesOf(done),
  };
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

function required(value: string | null, message: string): string {
  if (!value) throw new Error(message);
  return value;
}
