"""Who writes, reviews and publishes. Editors (and PR managers) of an agency write its
posts; its reviewer (head of PR) or PR manager approves them; network admins do all."""

from hamafza.core.permissions import rule
from hamafza.network.models import Role
from hamafza.network.policy import is_network_admin, roles_in

from .models import PostStatus

WRITERS = {Role.EDITOR, Role.PR_MANAGER}
REVIEWERS = {Role.REVIEWER, Role.PR_MANAGER}
EDITABLE = {PostStatus.DRAFT, PostStatus.RETURNED}


@rule("post.create")
def _create(user, organisation) -> bool:
    return is_network_admin(user) or bool(WRITERS & roles_in(user, organisation))


@rule("post.view")
def _view(user, post) -> bool:
    return is_network_admin(user) or bool((WRITERS | REVIEWERS) & roles_in(user, post.organisation))


@rule("post.edit")
def _edit(user, post) -> bool:
    return post.status in EDITABLE and (
        is_network_admin(user) or bool(WRITERS & roles_in(user, post.organisation))
    )


@rule("post.review")
def _review(user, post) -> bool:
    return is_network_admin(user) or bool(REVIEWERS & roles_in(user, post.organisation))


@rule("post.withdraw")
def _withdraw(user, post) -> bool:
    return _review(user, post)


@rule("channel.connect")
def _connect(user, channel) -> bool:
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, channel.organisation)


@rule("publishing.defaults.manage")
def _defaults(user, organisation) -> bool:
    """Which channels new posts start ticked for: the organisation's PR manager."""
    return is_network_admin(user) or Role.PR_MANAGER in roles_in(user, organisation)


@rule("delivery.resolve")
def _resolve(user, delivery) -> bool:
    return _review(user, delivery.post)


@rule("post.review_edit")
def _review_edit(user, post) -> bool:
    """A reviewer's small edits before approving: someone who may review the post, and
    never its own author (who would otherwise approve their own text through an edit)."""
    return post.created_by_id != user.pk and _review(user, post)


@rule("delivery.retry")
def _retry(user, delivery) -> bool:
    """Who writes or reviews the post may send a refused delivery again."""
    return _view(user, delivery.post)
