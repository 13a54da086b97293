from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A rule refused the action; the message is for the user."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.problems = problems or []


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
