"""The result of one examinee from the scheme and the scores (R-S2, R-S3): data in, outcome out.

Pure: no ORM, so every rule is proved by plain unit tests. The order of the rules:

1. a scheme without components decides nothing (pending);
2. R-S3: a serious safety violation fails the examinee when the scheme carries the one-vote
   veto, whatever else is recorded, direct recognition included (一票否决 vetoes everything);
3. R-S2: a direct-recognition candidate with evidence passes, when the scheme provides for
   direct recognition;
4. a component without a score leaves the result pending;
5. a component below its pass mark fails the examinee, naming the component and its mark;
6. otherwise the examinee passes with the weighted total Σ weight × score / 100.

The weighted total is given whenever every component has a score, whatever the result.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments.models import ComponentKind, EvaluationMethod, ExamineeResult

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
REASON_MAX_LENGTH = 200  # RosterEntry.result_reason
EVIDENCE_MAX_LENGTH = 500

# The words of a result; "Failed" alone is already the word of a failed background job.
RESULT_LABELS = {
    ExamineeResult.PENDING: pgettext_lazy("examinee result", "Pending"),
    ExamineeResult.PASSED: pgettext_lazy("examinee result", "Passed"),
    ExamineeResult.FAILED: pgettext_lazy("examinee result", "Failed"),
}

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Component:
    """R-S2: a weighted part of the result with its pass mark; R-S3: the veto."""

    kind: str
    weight: Decimal
    pass_mark: Decimal
    veto: bool = False

    @property
    def label(self) -> str:
        return str(ComponentKind(self.kind).label)

    @property
    def weight_text(self) -> str:
        return mark(self.weight)

    @property
    def pass_mark_text(self) -> str:
        return mark(self.pass_mark)


@dataclass(frozen=True)
class Outcome:
    total: Decimal | None
    result: str
    reason: str


@dataclass
class ScoreInput:
    """What is recorded for one examinee: a score (or None) per component and the two flags."""

    entry_id: int
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    safety_violation: bool = False
    direct_recognition: bool = False
    evidence: str = ""


class ScoreError(ValueError):
    """A typed value is not a score; the message says why, for the user."""


def components_of(scheme_components: Iterable) -> tuple[Component, ...]:
    """The scheme's SchemeComponent rows as plain values, in the scheme's order."""
    return tuple(
        Component(kind=c.kind, weight=c.weight, pass_mark=c.pass_mark, veto=c.veto)
        for c in scheme_components
    )


def allows_direct_recognition(methods: Sequence[str]) -> bool:
    """R-S2: direct recognition only where the scheme names it among its methods."""
    return EvaluationMethod.DIRECT_RECOGNITION in (methods or [])


def has_veto(components: Iterable[Component]) -> bool:
    return any(component.veto for component in components)


def mark(value: Decimal) -> str:
    """A score or mark as people write it: 85, 85.5, 85.25."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_score(value) -> Decimal | None:
    """A score from a form field or an Excel cell: 0–100, at most two decimals; blank is None.

    Raises ScoreError with the reason in the user's words.
    """
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, bool):
        raise ScoreError(_("“%(value)s” is not a number.") % {"value": "是" if value else "否"})
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ScoreError(_("“%(value)s” is not a number.") % {"value": value})
        text = format(number.normalize(), "f")  # 105.0 from an Excel cell reads as 105
    else:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
        if text.startswith("-") and _NUMBER.match(text[1:]):
            raise ScoreError(
                _("%(value)s is below 0; a score lies between 0 and 100.") % {"value": text}
            )
        if not _NUMBER.match(text):
            raise ScoreError(
                _("“%(value)s” is not a number; type a score from 0 to 100, like 85 or 85.5.")
                % {"value": str(value).strip()[:20]}
            )
        number = Decimal(text)
    if number < 0:
        raise ScoreError(
            _("%(value)s is below 0; a score lies between 0 and 100.") % {"value": text}
        )
    if number > HUNDRED:
        raise ScoreError(
            _("%(value)s is above 100; a score lies between 0 and 100.") % {"value": text}
        )
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ScoreError(
            _("%(value)s has more than two decimals; a score has at most two.") % {"value": text}
        )
    return number.quantize(CENT)


def weighted_total(components: Iterable[Component], scores: Mapping[str, Decimal]) -> Decimal:
    """R-S2: Σ weight × score / 100, two decimals, halves rounded up."""
    total = sum((c.weight * scores[c.kind] for c in components), Decimal(0)) / HUNDRED
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _short(reason: str) -> str:
    if len(reason) <= REASON_MAX_LENGTH:
        return reason
    return reason[: REASON_MAX_LENGTH - 1] + "…"


def examinee_result(
    *,
    components: Sequence[Component],
    scores: Mapping[str, Decimal | None],
    safety_violation: bool = False,
    direct_recognition: bool = False,
    evidence: str = "",
    direct_recognition_allowed: bool = True,
) -> Outcome:
    """The outcome of one examinee (R-S2, R-S3); see the module's docstring for the order."""
    if not components:
        return Outcome(
            None,
            ExamineeResult.PENDING,
            # R-S2
            _("The evaluation scheme has no components, so no result can be given."),
        )
    missing = [c for c in components if scores.get(c.kind) is None]
    total = None if missing else weighted_total(components, scores)
    if safety_violation and has_veto(components):
        return Outcome(
            total,
            ExamineeResult.FAILED,
            _(
                # R-S3
                "One-vote safety veto (安全一票否决): a serious safety violation on the job in "
                "the period fails the examinee whatever the scores."
            ),
        )
    if direct_recognition:
        if not direct_recognition_allowed:
            return Outcome(
                total,
                ExamineeResult.PENDING,
                # R-S2
                _("The evaluation scheme does not provide for direct recognition."),
            )
        if not evidence.strip():
            return Outcome(
                total,
                ExamineeResult.PENDING,
                # R-S2
                _("Direct recognition needs its evidence."),
            )
        # R-S2
        return Outcome(total, ExamineeResult.PASSED, _("Direct recognition (直接认定)."))
    if missing:
        return Outcome(
            None,
            ExamineeResult.PENDING,
            _short(
                _("No score yet for %(components)s.")
                % {"components": "、".join(c.label for c in missing)}
            ),
        )
    below = [c for c in components if scores[c.kind] < c.pass_mark]
    if below:
        return Outcome(
            total,
            ExamineeResult.FAILED,
            _short(
                "；".join(
                    # R-S2
                    _("%(component)s %(score)s is below its pass mark %(mark)s.")
                    % {
                        "component": c.label,
                        "score": mark(scores[c.kind]),
                        "mark": mark(c.pass_mark),
                    }
                    for c in below
                )
            ),
        )
    return Outcome(
        total,
        ExamineeResult.PASSED,
        # R-S2
        _("Every component reaches its pass mark; weighted total %(total)s.")
        % {"total": mark(total)},
    )
