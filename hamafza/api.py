"""The JSON API, mounted at /api/ with its schema at /api/openapi.json. One router per app;
the same access getters and services as the pages, so the same policy applies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja import errors as ninja_errors

from hamafza import __version__
from hamafza.core.api_auth import ActiveSessionAuth, TokenAuth
from hamafza.core.validation import StateConflict
from hamafza.mawkib.api import router as mawkib_router
from hamafza.network.api import router as network_router
from hamafza.publishing.api import router as publishing_router

api = NinjaAPI(
    title="Hamafza API",
    version=__version__,
    description=_("رابط برنامه‌نویسی هم‌افزا"),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_failed(request, error: ValidationError):
    detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(StateConflict)
def conflict(request, error: StateConflict):
    """Not in a state that allows it (a post no longer waiting for review …): 409."""
    return api.create_response(request, {"detail": " ".join(error.messages)}, status=409)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return api.create_response(request, {"detail": _("اجازه این کار را ندارید.")}, status=403)


# What django-ninja says in English, said in Persian; the machine-readable part stays.
@api.exception_handler(ninja_errors.AuthenticationError)
def unauthenticated(request, error):
    return api.create_response(
        request, {"detail": _("نخست وارد شوید یا توکن API بفرستید.")}, status=error.status_code
    )


@api.exception_handler(ninja_errors.HttpError)
def http_error(request, error):
    message = error.message
    if "CSRF" in str(message):
        message = _("نشانه CSRF نیامده یا نادرست است؛ صفحه را دوباره باز کنید.")
    return api.create_response(request, {"detail": message}, status=error.status_code)


@api.exception_handler(ninja_errors.ValidationError)
def invalid_input(request, error):
    fields = sorted(
        {".".join(str(p) for p in e.get("loc", ())[1:]) or "__all__" for e in error.errors}
    )
    return api.create_response(
        request,
        {
            "detail": _("ورودی نادرست است: %(fields)s") % {"fields": "، ".join(fields)},
            "errors": error.errors,
        },
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": _("پیدا نشد.")}, status=404)


api.add_router("/network/", network_router)
api.add_router("/mawkib/", mawkib_router)
api.add_router("/publishing/", publishing_router)
