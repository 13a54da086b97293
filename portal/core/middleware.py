from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class PortalLanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a bureau's portal
    speaks Chinese by default whatever the browser says.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


# The search box of every list page (portal.core.listing): named for what the user typed.
SEARCH_PARAMETER = "q"
API_PREFIX = "/api/"
NUL = "\x00"


class NulQueryMiddleware:
    """Refuses a query string holding a NUL character, for every page, with a 400 naming the
    parameter (the JSON API refuses one in its own parameters itself).

    PostgreSQL cannot compare or store text holding NUL, so a search or filter with one would
    fail inside the view with a server error. Forms sent by POST need no such guard: Django's
    form fields already refuse NUL with a message next to the field.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        # The JSON API checks its own parameters (and ignores those it does not declare).
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        field = _first_parameter_with_nul(request.GET)
        if field is None:
            return self.get_response(request)
        if field == SEARCH_PARAMETER:
            message = _(
                "The search text contains a NUL character and cannot be searched for. "
                "Remove it and try again."
            )
        else:
            message = _(
                "The filter “%(field)s” contains a NUL character and cannot be searched for. "
                "Remove it and try again."
            ) % {"field": field}
        return render(
            request, "core/bad_query.html", {"message": message, "back": request.path}, status=400
        )


def _first_parameter_with_nul(parameters) -> str | None:
    for key, values in parameters.lists():
        if NUL in key or any(NUL in value for value in values):
            return key.replace(NUL, "")
    return None
