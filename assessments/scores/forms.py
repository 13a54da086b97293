"""The score grid (one row per examinee, one input per component) and the score file upload.

The grid is not a django Form: a page of 100 examinees has up to 800 inputs, rendered as plain
<input>s with their values and errors, and read back here. Every problem names the examinee and
the component, and what was typed is shown again as typed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.results.scoring import (
    EVIDENCE_MAX_LENGTH,
    RESULT_LABELS,
    Component,
    ScoreError,
    ScoreInput,
    mark,
    parse_score,
)
from assessments.scores.spreadsheets import ScoreFileError, check_workbook
from portal.core.uploads import check_size

_TRUE = {"on", "1", "true", "yes"}


@dataclass
class GridCell:
    name: str
    label: str  # for screen readers: the examinee and the component
    value: str = ""
    checked: bool = False
    error: str = ""
    current: str | None = None  # the stored value, when a stale post differs from it


@dataclass
class GridRow:
    entry: object
    scores: list[GridCell] = field(default_factory=list)
    safety: GridCell | None = None
    direct: GridCell | None = None
    evidence: GridCell | None = None

    @property
    def cells(self) -> list[GridCell]:
        return [cell for cell in (*self.scores, self.safety, self.direct, self.evidence) if cell]

    @property
    def has_error(self) -> bool:
        return any(cell.error for cell in self.cells)

    @property
    def result_label(self) -> str:
        return str(RESULT_LABELS.get(self.entry.result, self.entry.result))


def _stored(entry) -> dict[str, Decimal]:
    return {score.component: score.score for score in entry.scores.all()}


def _who(entry) -> str:
    return _("%(name)s (No. %(seq)s)") % {"name": entry.name, "seq": entry.seq}


class ScoreGrid:
    """One page of the grid: bound to the POST, or showing what is recorded."""

    def __init__(
        self,
        *,
        entries,
        components: tuple[Component, ...],
        direct_allowed: bool,
        data=None,
    ) -> None:
        self.entries = list(entries)
        self.components = components
        self.direct_allowed = direct_allowed
        self.data = data
        self.errors: list[str] = []
        self.cleaned: list[ScoreInput] = []
        self.rows = [self._row(entry) for entry in self.entries]

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    @property
    def entry_ids(self) -> str:
        return ",".join(str(entry.pk) for entry in self.entries)

    def _row(self, entry) -> GridRow:
        stored = _stored(entry)
        who = _who(entry)
        row = GridRow(entry=entry)
        for component in self.components:
            cell = GridCell(name=f"{entry.pk}-{component.kind}", label=f"{who} {component.label}")
            if self.is_bound:
                cell.value = self.data.get(cell.name, "").strip()
            elif component.kind in stored:
                cell.value = mark(stored[component.kind])
            row.scores.append(cell)
        row.safety = GridCell(
            name=f"{entry.pk}-safety_violation",
            label=_("%(who)s: serious safety violation") % {"who": who},
        )
        row.safety.checked = self._flag(row.safety.name, entry.safety_violation)
        if self.direct_allowed:
            row.direct = GridCell(
                name=f"{entry.pk}-direct_recognition",
                label=_("%(who)s: direct recognition") % {"who": who},
            )
            row.direct.checked = self._flag(row.direct.name, entry.direct_recognition)
            row.evidence = GridCell(
                name=f"{entry.pk}-evidence",
                label=_("%(who)s: evidence for direct recognition") % {"who": who},
            )
            row.evidence.value = (
                self.data.get(row.evidence.name, "").strip()
                if self.is_bound
                else entry.direct_recognition_evidence
            )
        return row

    def _flag(self, name: str, stored: bool) -> bool:
        if not self.is_bound:
            return stored
        return self.data.get(name, "").lower() in _TRUE

    def _fail(self, cell: GridCell, row: GridRow, what: str, reason: str) -> None:
        cell.error = _("%(who)s, %(what)s: %(reason)s") % {
            "who": _who(row.entry),
            "what": what,
            "reason": reason,
        }
        self.errors.append(cell.error)

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        self.cleaned = []
        for row in self.rows:
            result = ScoreInput(entry_id=row.entry.pk)
            for component, cell in zip(self.components, row.scores, strict=True):
                try:
                    result.scores[component.kind] = parse_score(cell.value)
                except ScoreError as error:
                    self._fail(cell, row, component.label, str(error))
            result.safety_violation = row.safety.checked
            if row.direct is not None and row.direct.checked:
                result.direct_recognition = True
                result.evidence = row.evidence.value
                if not row.evidence.value:
                    self._fail(
                        row.evidence,
                        row,
                        _("direct recognition"),
                        # R-S2
                        _("say on what evidence the examinee is a candidate."),
                    )
                elif len(row.evidence.value) > EVIDENCE_MAX_LENGTH:
                    self._fail(
                        row.evidence,
                        row,
                        _("evidence for direct recognition"),
                        _("%(length)s characters; at most %(limit)s are allowed.")
                        % {"length": len(row.evidence.value), "limit": EVIDENCE_MAX_LENGTH},
                    )
            self.cleaned.append(result)
        return not self.errors

    def show_current(self, entries) -> None:
        """After a stale post: beside each input, the value now stored when it differs."""
        current = {entry.pk: entry for entry in entries}
        for row in self.rows:
            entry = current.get(row.entry.pk)
            if entry is None:
                continue
            stored = _stored(entry)
            for component, cell in zip(self.components, row.scores, strict=True):
                value = mark(stored[component.kind]) if component.kind in stored else ""
                if value != cell.value:
                    cell.current = value or "—"
            if entry.safety_violation != row.safety.checked:
                row.safety.current = _("yes") if entry.safety_violation else _("no")
            if row.direct is not None and entry.direct_recognition != row.direct.checked:
                row.direct.current = _("yes") if entry.direct_recognition else _("no")
            row.entry = entry


class ScoreImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Score sheet (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload, field=_("the score sheet"), limit=settings.UPLOAD_MAX_BYTES)
        self.content = upload.read()
        try:
            self.info = check_workbook(self.content)
        except ScoreFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload
