from pathlib import Path

import polib
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_of_the_catalog_is_translated():
    untranslated = [
        e.msgid for e in polib.pofile(str(CATALOG)) if not e.translated() or "fuzzy" in e.flags
    ]
    assert untranslated == []


def test_the_compiled_catalog_matches_its_source():
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(CATALOG))
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.mofile(str(CATALOG.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == source


def test_pages_speak_chinese_by_default_whatever_the_browser_asks(client, world):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "企业职业技能等级认定服务平台" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_english_is_available_on_request(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert "Enterprise skill level recognition portal" in response.content.decode()
