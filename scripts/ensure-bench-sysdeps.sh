#!/usr/bin/env bash
# `make bench` only: wrk, the HTTP load generator of the verification API benchmark (Debian
# package wrk). Installs it with apt-get when run as root, otherwise prints the command to run.
# SKIP_SYSDEPS=1 skips the check, as in scripts/ensure-sysdeps.sh.
set -euo pipefail

if [[ "${SKIP_SYSDEPS:-}" == 1 ]] || command -v wrk >/dev/null; then
    exit 0
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "bench: wrk is missing; install it, then run make bench again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends wrk" >&2
    exit 1
fi
echo "bench: installing wrk"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends wrk
