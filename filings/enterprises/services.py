"""Enterprises: self-registration and the district's activation."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.models import (
    Enterprise,
    EnterpriseStatus,
)
from portal.core.audit import audit_record
from portal.core.errors import InvalidTransition
from portal.core.models import Membership, Role

User = get_user_model()


@transaction.atomic
def enterprise_register(*, data: dict, username: str, password: str, email: str) -> Enterprise:
    """Self-registration: the enterprise and its first operator; the district activates it."""
    enterprise = Enterprise.objects.create(status=EnterpriseStatus.PENDING, **data)
    user = User.objects.create_user(username=username, password=password, email=email)
    Membership.objects.create(
        user=user,
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        full_name=data.get("contact_name", ""),
        phone=data.get("contact_phone", ""),
    )
    audit_record(
        obj=enterprise,
        actor=user,
        action="register",
        to_status=EnterpriseStatus.PENDING,
        note=_("Registered online"),
    )
    return enterprise


@transaction.atomic
def enterprise_activate(*, enterprise: Enterprise, actor) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status != EnterpriseStatus.PENDING:
        raise InvalidTransition(_("Only an enterprise awaiting activation can be activated."))
    enterprise.status = EnterpriseStatus.ACTIVE
    enterprise.activated_at = timezone.now()
    enterprise.save(update_fields=["status", "activated_at"])
    audit_record(
        obj=enterprise,
        actor=actor,
        action="activate",
        from_status=EnterpriseStatus.PENDING,
        to_status=EnterpriseStatus.ACTIVE,
    )
    return enterprise
