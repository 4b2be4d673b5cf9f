import { parseRawCommit } from "../../src/git/parse-raw-commit.js";

describe("parseRawCommit", () => {
  it("keeps the message byte for byte and each date's own offset", () => {
    const raw = [
      "tree 6c1936d3e71f22e01eb33251bcdbf0683a3e41f3",
      "parent c10887be07450eaea2355633f4eac7b8e5b1fe3a",
      "author Bob Builder <bob@example.com> 1710063245 +0530",
      "committer Ship Agent <agent@ship.test> 1710147723 -0800",
      "",
      "Subject\n\n  indented body\n",
    ].join("\n");
    expect(parseRawCommit(raw)).toEqual({
      tree: "6c1936d3e71f22e01eb33251bcdbf0683a3e41f3",
      parents: ["c10887be07450eaea2355633f4eac7b8e5b1fe3a"],
      author: { name: "Bob Builder", email: "bob@example.com", date: "2024-03-10T15:04:05+05:30" },
      committer: {
        name: "Ship Agent",
        email: "agent@ship.test",
        date: "2024-03-11T01:02:03-08:00",
      },
      message: "Subject\n\n  indented body\n",
      extraHeaders: [],
    });
  });

  it("names headers the API cannot reproduce, skipping their continuation lines", () => {
    const raw = [
      "tree 6c1936d3e71f22e01eb33251bcdbf0683a3e41f3",
      "author A <a@x> 0 +0000",
      "committer A <a@x> 0 +0000",
      "encoding ISO-8859-1",
      "gpgsig -----BEGIN PGP SIGNATURE-----",
      " ",
      " iQEzBAABCAAdFiEE",
      " -----END PGP SIGNATURE-----",
      "",
      "No trailing newline",
    ].join("\n");
    const commit = parseRawCommit(raw);
    expect(commit.extraHeaders).toEqual(["encoding", "gpgsig"]);
    expect(commit.message).toBe("No trailing newline");
    expect(commit.author.date).toBe("1970-01-01T00:00:00+00:00");
  });
});
