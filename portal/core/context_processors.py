from portal.core.roles import membership_of


def portal(request) -> dict:
    return {"membership": membership_of(request.user)}
