#!/bin/sh
# Debian packages `make test` needs beyond Python, make, npm, PostgreSQL and Redis: Chromium for
# the browser tests (tests/browser drive /usr/bin/chromium with Playwright, never a downloaded
# browser), CJK fonts so that the screenshots show Chinese text, and docker-compose so that
# tests/test_compose.py runs `docker-compose config` on docker-compose.yml (no engine needed).
# As root with apt-get, installs what is missing; otherwise prints the command and fails.
set -eu

PACKAGES="chromium fonts-noto-cjk docker-compose"

is_installed() {
    if command -v dpkg-query >/dev/null 2>&1; then
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
    else
        # Not Debian: only the browser can be looked for.
        [ "$1" != chromium ] || [ -x /usr/bin/chromium ]
    fi
}

missing=""
for package in $PACKAGES; do
    is_installed "$package" || missing="$missing $package"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the Debian packages the tests need:$missing"
    apt-get update
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
    exit 0
fi

echo "The tests need Debian packages that are not installed:$missing" >&2
echo "Install them as root, then run make test again:" >&2
echo "    sudo sh -c 'apt-get update && apt-get install -y$missing'" >&2
exit 1
