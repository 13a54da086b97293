"""What a browser would post: the fields of one form of a rendered page, with their values.

`form_fields(html, action)` reads the form whose action is `action` (or the page itself when the
form has no action) the way a browser submits it: text inputs and hidden inputs with their
values, checked checkboxes and radios, the selected options of selects (the first option when
none is selected), textareas. Submit buttons and file inputs are left out: the test names the
button it presses and attaches the files.
"""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name")
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attrs.get("value", default)))
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea, self._text = attrs["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select["options"] if selected]
            if not chosen and not self._select["multiple"] and self._select["options"]:
                chosen = [self._select["options"][0][0]]
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self._form["fields"].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str, *, page: str) -> dict:
    """The fields of the POST form of `html` (served at `page`) that posts to `action`, as a
    dict of lists (a select of several values, checkboxes of one name). LookupError when the
    page has no such form."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        target = form["action"] or page
        if form["method"] == "post" and target.split("?")[0] == action:
            fields: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                fields.setdefault(name, []).append(value)
            return fields
    found = [form["action"] or page for form in parser.forms]
    raise LookupError(f"no form posting to {action} on {page}; forms post to {found}")
