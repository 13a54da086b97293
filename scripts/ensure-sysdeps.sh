#!/usr/bin/env bash
# Checks the Debian packages the portal needs beyond Python; installs the missing ones with
# apt-get when run as root, otherwise prints the command to run and fails.
#   fonts-wqy-microhei                  CJK font of the PDFs (PDF_FONT_PATH)
#   libpango-1.0-0 libpangoft2-1.0-0    WeasyPrint's text layout
#   poppler-utils                       pdftotext/pdftoppm, used by tests to read PDFs
#   gettext                             msgfmt, compiles the translation catalogs
#   chromium                            the browser the end-to-end tests drive (Playwright)
#   zbar-tools                          zbarimg, tests read the QR code printed on certificates
#   python3.11 python3.11-venv          only when PYTHON cannot create a virtualenv
# SKIP_SYSDEPS=1 skips the check (e.g. on a non-Debian system where you installed them yourself).
set -euo pipefail

PYTHON=${PYTHON:-python3.11}
PACKAGES=(fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 poppler-utils gettext chromium zbar-tools)

if [[ "${SKIP_SYSDEPS:-}" == 1 ]]; then
    echo "sysdeps: SKIP_SYSDEPS=1, not checking system packages"
    exit 0
fi

missing=()
if command -v dpkg-query >/dev/null; then
    for package in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
            missing+=("$package")
        fi
    done
else
    echo "sysdeps: no dpkg here; install the equivalents of: ${PACKAGES[*]}" >&2
    echo "         then run with SKIP_SYSDEPS=1" >&2
    exit 1
fi
# Debian splits venv/ensurepip out of the interpreter; a pyenv or python.org build has them.
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    if [[ ! -x .venv/bin/python ]]; then
        missing+=("$PYTHON" "$PYTHON-venv")
    fi
fi

if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
    echo "sysdeps: missing system packages: ${missing[*]}" >&2
    echo "sysdeps: install them as root, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "sysdeps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
