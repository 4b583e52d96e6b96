"""The mawkib's JSON API. Volunteers sign up for places with their applicant session (the
one the tracking-code page opens); a refusal is 409 with its reason code and Persian
message, so a phone app can say exactly why."""

from django.conf import settings
from ninja import Router, Schema, Status
from ninja.security import APIKeyCookie

from hamafza.core.api_errors import WRITE, answers

from .applicant import current_applicant_id
from .services import roster

router = Router(tags=["mawkib"])


class ApplicantSession(APIKeyCookie):
    """The applicant session a tracking code and one-time code open (no account). Being a
    cookie, it is CSRF-checked like any session."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        # The id only: the sign-up reads the application when it needs it.
        return current_applicant_id(request)


class SignupIn(Schema):
    demand_id: int


class SignupOut(Schema):
    assignment_id: int
    shift_id: int


class Refusal(Schema):
    code: str
    message: str


@router.post(
    "/signup", auth=ApplicantSession(), response=answers({201: SignupOut, 409: Refusal}, *WRITE)
)
def signup(request, payload: SignupIn):
    try:
        assignment = roster.shift_signup(application=request.auth, demand_id=payload.demand_id)
    except roster.SignupRefused as refused:
        return Status(409, {"code": refused.code, "message": refused.message})
    return Status(201, {"assignment_id": assignment.pk, "shift_id": assignment.shift_id})
