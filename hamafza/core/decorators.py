"""Marks on views that the project's checks read."""


def public(view):
    """A page meant for anyone, signed in or not (the public portal, the volunteers'
    readiness form). The access walk in tests/test_access_walk.py lets such pages answer
    everyone; every other page must refuse those without a role."""
    view.hamafza_public = True
    return view
