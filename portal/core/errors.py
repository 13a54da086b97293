from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    """A rule the data breaks, with its id (R-F1 …) and where it is: a form `field`, or a place
    in an uploaded file — `row` as Excel shows it (0 for the file as a whole; None when the
    problem is not in a file), the cell's column `column` (a letter) with its `header`, or only
    the `header` (a column's name or a cell reference). The text a user reads never cites the
    rule id: it stays in `rule` for code, logs and the 依据 link (`rule_last` is kept for callers
    that still pass it)."""

    message: str
    rule: str = ""
    field: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""
    rule_last: bool = False

    def __str__(self) -> str:
        if self.row is None:
            return str(self.message)
        if self.row and self.column:
            return gettext("Row %(row)s, column %(column)s (%(header)s): %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "header": self.header,
                "reason": self.message,
            }
        if self.header:
            return f"{self.header}：{self.message}"
        if self.row:
            return gettext("Row %(row)s: %(reason)s") % {"row": self.row, "reason": self.message}
        return str(self.message)


class ServiceError(Exception):
    """A rule refused the action; the message is for the user."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.problems = problems or []


class FieldProblem(ServiceError):
    """A rule refused one field of the submitted form; `field` names it for the form."""

    def __init__(self, field: str, message: str, rule: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(message, rule, field)
        self.field = field
        self.field_errors = {field: message}


class FieldsInvalid(ServiceError):
    """`field_errors` maps a form field to the reason, so the form shows it in place."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__(_("The entry breaks the rules shown next to the fields."))
        self.field_errors = field_errors


class StaleEdit(ServiceError):
    """Someone changed the object after the user's form was rendered."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened the form. Your input is kept "
                "below; review the current version and save again."
            )
        )


class InvalidTransition(ServiceError):
    pass
