"""The JSON API, mounted at /api/ with its schema at /api/openapi.json. One router per app;
the same access getters and services as the pages, so the same policy applies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from hamafza import __version__
from hamafza.core.api_auth import ActiveSessionAuth, TokenAuth
from hamafza.mawkib.api import router as mawkib_router
from hamafza.network.api import router as network_router

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


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return api.create_response(request, {"detail": _("اجازه این کار را ندارید.")}, status=403)


api.add_router("/network/", network_router)
api.add_router("/mawkib/", mawkib_router)
