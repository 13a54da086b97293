from django.contrib.auth.decorators import login_required
from django.http import Http404

from portal.core.roles import is_city_admin


@login_required
def city_settings(request):
    if not is_city_admin(request.user):
        raise Http404
    raise Http404
