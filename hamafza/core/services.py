from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit
from .models import ApiToken


@transaction.atomic
def api_token_issue(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's own use; the raw key is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("برای توکن نامی بنویسید تا بعداً بشناسیدش.")})
    token, raw = ApiToken.issue(user=actor, name=name)
    audit(actor=actor, action="core.api_token.issued", target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; someone else's is as if it did not exist."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=actor, action="core.api_token.revoked", target=token)
    return token
