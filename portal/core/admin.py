"""Django admin for the core models: a superuser's tool, not the city admin's pages.

Edits here bypass the services, so the few invariants the portal relies on are kept by hand:
a policy edit bumps its version (open forms then see a stale edit) and calendar edits drop the
cached working days. Audit events are read-only.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from portal.core import passwords, workdays
from portal.core.models import (
    ApplicationWindow,
    AuditEvent,
    Bureau,
    CalendarDay,
    CalendarYear,
    Counter,
    Membership,
    OutboxMessage,
    Policy,
)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user admin, except that a password set here for someone else must be changed
    by its user at the next login (portal.core.passwords)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            passwords.password_change_require(user=obj, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user is not None and user.has_usable_password():
                passwords.password_change_require(user=user, actor=request.user)
        return response


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "full_name", "role", "bureau", "enterprise", "is_admin"]
    list_filter = ["role", "is_admin"]
    search_fields = ["user__username", "full_name", "bureau__name", "enterprise__name"]
    autocomplete_fields = ["bureau"]
    raw_id_fields = ["user", "enterprise"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = [
        "bureau",
        "min_insured_employees",
        "min_enterprise_size",
        "district_prereview",
        "review_working_days",
        "version",
    ]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ApplicationWindow)
class ApplicationWindowAdmin(admin.ModelAdmin):
    list_display = ["bureau", "name", "opens_on", "closes_on", "repeat"]
    list_filter = ["bureau"]
    date_hierarchy = "opens_on"


class _CalendarAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(workdays.clear_cache)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(workdays.clear_cache)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(workdays.clear_cache)


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarAdmin):
    list_display = ["year", "source", "updated_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(_ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "action",
        "content_type",
        "object_id",
        "from_status",
        "to_status",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["actor__username", "note"]
    date_hierarchy = "at"


@admin.register(Counter)
class CounterAdmin(_ReadOnlyAdmin):
    list_display = ["key", "value"]
    search_fields = ["key"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Background work waiting for the broker: a row unsent for long, with attempts, is stuck."""

    list_display = ["pk", "task_name", "created_at", "available_at", "attempts", "sent_at"]
    list_filter = ["task_name", ("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["task_name", "args", "created_at", "attempts", "sent_at", "last_error"]
    date_hierarchy = "created_at"
