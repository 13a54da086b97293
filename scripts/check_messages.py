"""Fail when a user-facing string in the code has no Chinese translation.

Runs makemessages against a scratch copy of the catalog, reports every msgid that is new,
untranslated or fuzzy, and leaves the committed catalog untouched.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv/*", "tests/*", "locale/*", "staticfiles/*", "var/*", "scripts/*", "build/*"]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        saved = Path(scratch) / "django.po"
        shutil.copy2(CATALOG, saved)
        try:
            command = [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-location",
                "--no-obsolete",
                "-v",
                "0",
            ]
            command += [f"--ignore={pattern}" for pattern in IGNORE]
            subprocess.run(command, cwd=ROOT, check=True)
            problems = [
                entry.msgid
                for entry in polib.pofile(str(CATALOG))
                if not entry.translated() or "fuzzy" in entry.flags
            ]
        finally:
            shutil.copy2(saved, CATALOG)
    for msgid in problems:
        print(f"untranslated: {msgid!r}")
    print(f"messages: {len(problems)} untranslated")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
