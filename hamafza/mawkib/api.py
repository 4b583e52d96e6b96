"""The mawkib's JSON API. Volunteers sign up for places with their applicant session (the
one the tracking-code page opens); a refusal is 409 with its reason code and Persian
message, so a phone app can say exactly why."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from .applicant import current_applicant
from .services import roster

router = Router(tags=["mawkib"])


class SignupIn(Schema):
    demand_id: int


class SignupOut(Schema):
    assignment_id: int
    shift_id: int


class Refusal(Schema):
    code: str
    message: str


@router.post("/signup", auth=None, response={201: SignupOut, 409: Refusal})
def signup(request, payload: SignupIn):
    application = current_applicant(request)
    if application is None:
        raise HttpError(401, _("نخست با کد رهگیری و رمز یک‌بار مصرف وارد شوید."))
    try:
        assignment = roster.shift_signup(application=application, demand_id=payload.demand_id)
    except roster.SignupRefused as refused:
        return 409, {"code": refused.code, "message": refused.message}
    return 201, {"assignment_id": assignment.pk, "shift_id": assignment.shift_id}
