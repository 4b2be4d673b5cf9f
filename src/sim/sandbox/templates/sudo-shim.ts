/**
 * `/usr/bin/sudo` in every template. On E2B `user` has passwordless sudo; a stand-in
 * sandbox has one user (its user namespace maps a single id), so this runs the command
 * as that same user after reading sudo's usual options. Commands that need real root
 * (installing system packages) fail here, unlike on E2B.
 */
export const sudoShim = `#!/bin/sh
# The E2B stand-in's sudo: one user, so the command runs as it.
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    -u|-g|-C|-h|-p|-r|-t|-U|-D) shift 2 ;;
    --user=*|--group=*|--prompt=*) shift ;;
    -*) shift ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: sudo command" >&2; exit 1; }
exec "$@"
`;
