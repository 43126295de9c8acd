#!/bin/sh
# Installs what leaflet's HTML tests need from Debian, only when missing: chromium and chromium-driver
# (the browser; about 120 MB, 40 s once) and a Java runtime for the Nu HTML checker (Java 17 is usually there).
# Idempotent: when everything is on PATH it returns at once (a few ms), so `make test` can call it every time.
# Needs root, as on the dev machines and in CI; anyone else gets sudo if it is there.
set -eu

packages=""
command -v chromium >/dev/null 2>&1 || packages="$packages chromium"
command -v chromedriver >/dev/null 2>&1 || packages="$packages chromium-driver"
command -v java >/dev/null 2>&1 || packages="$packages openjdk-17-jre-headless"
[ -z "$packages" ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-browser.sh: missing:$packages; as root run:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends$packages" >&2
        exit 1
    fi
fi

echo "install-browser.sh: installing$packages from Debian (once)"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086  # the package list is meant to split
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
chromium --version 2>/dev/null
chromedriver --version
