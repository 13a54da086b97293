from portal.core.display import large_text
from portal.core.roles import membership_of


def portal(request) -> dict:
    return {"membership": membership_of(request.user), "large_text": large_text(request)}
