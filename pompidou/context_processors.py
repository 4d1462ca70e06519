from programme.roles import roles_of


def portal(request):
    """The user's roles, so templates ask the one roles module like views do."""
    return {"roles": roles_of(getattr(request, "user", None))}
