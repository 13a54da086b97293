"""Every URL keeps its name and its path: bookmarks, links in e-mails and PDFs, the QR codes on
printed certificates and the API's clients rely on them. tests/support/url_paths.txt lists them
(name, route); a page added or moved on purpose changes that file in the same commit."""

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PINNED = Path(__file__).parent / "support" / "url_paths.txt"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{pattern.name} {prefix}{pattern.pattern}"


def test_every_url_keeps_its_name_and_path():
    pinned = PINNED.read_text().splitlines()
    assert sorted(_routes(get_resolver().url_patterns)) == pinned
