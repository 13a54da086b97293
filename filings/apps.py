from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"

    def ready(self) -> None:
        # The Celery tasks live in the areas, where autodiscovery (app.tasks) does not look.
        import filings.review.tasks  # noqa: F401
        from filings.models import Enterprise, EnterpriseStatus, Filing, FilingStatus
        from portal.core.audit import register_labels, register_status_labels
        from portal.core.signals import calendar_changed

        calendar_changed.connect(_recount_deadlines, dispatch_uid="filings-recount-deadlines")

        register_labels(
            actions={
                "register": _("registered"),
                "activate": _("activated"),
                "create": _("draft created"),
                "edit": _("application edited"),
                "scope_line": _("scope line saved"),
                "scope_line_delete": _("scope line removed"),
                "material_add": _("material uploaded"),
                "material_delete": _("material removed"),
                "submit": _("submitted"),
                "district_forward": _("forwarded to the city with the pre-review opinion"),
                "assign_experts": _("experts assigned"),
                "expert_opinion": _("expert opinion given"),
                "approve": _("approved"),
                "return": _("returned for correction"),
                "reject": _("rejected"),
                "propose_approve": _("approval proposed, awaiting confirmation"),
                "propose_reject": _("rejection proposed, awaiting confirmation"),
                "confirm_approve": _("approval confirmed and published"),
                "confirm_reject": _("rejection confirmed"),
                "send_back": _("proposed decision sent back to review"),
            },
        )
        register_status_labels({Filing: FilingStatus, Enterprise: EnterpriseStatus})


def _recount_deadlines(**kwargs) -> None:
    from filings.review.services import filing_deadlines_recount

    filing_deadlines_recount()
