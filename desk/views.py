from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from desk.panels import CONTRIBUTIONS
from portal.core.roles import membership_of


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role lands on what waits for it, gathered from every app."""
    membership = membership_of(request.user)
    today = timezone.localdate()
    context = {"today": today}
    if membership is not None:
        for contribute in CONTRIBUTIONS:
            context.update(contribute(user=request.user, membership=membership, today=today))
    return render(request, "desk/dashboard.html", context)
