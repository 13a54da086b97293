"""The notification inbox: my notifications, unread first; open one (marks it read, then goes to
its page on this site); mark all read. Only the owner sees a notification (404 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from supervision.notifications.permissions import access_notification
from supervision.notifications.selectors import notification_list_for_user, unread_count
from supervision.notifications.services import notification_mark_read, notification_read_all

PAGE_SIZE = 30


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "desk/inbox.html",
        {"page": page, "unread": unread_count(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = access_notification(user=request.user, notification_id=notification_id)
    notification_mark_read(notification=notification)
    target = safe_local_url(notification.url)
    if target is None:
        # Never an external redirect: a notification without a page on this site stays here.
        if notification.url:
            messages.warning(request, _("This notification has no page on the portal to open."))
        return redirect("notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notification_read_all(user=request.user)
    if count:
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notification_list")


def safe_local_url(url: str) -> str | None:
    """`url` if it is a path on this site; None for anything a redirect could take elsewhere
    ("//host", "/\\host", "https://…", "javascript:…")."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    # With no host allowed, only a URL without scheme and host passes.
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url
