/**
 * The one user inside every local sandbox, as on E2B's base template: `user`, home
 * `/home/user`. Under bwrap the sandbox's processes run as this uid in their own user
 * namespace (mapped to the server's uid outside), so `id` and `whoami` answer as on E2B.
 */
export const sandboxUser = { name: "user", uid: 1000, gid: 1000, home: "/home/user" } as const;
