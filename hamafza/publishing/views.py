"""The pages editors and reviewers use: post lists, the composer with the editorial
checker and the channels' limits, review, deliveries, channel connections and the queue's
health. Views parse input, fetch through the getters, call the services and render."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hamafza.core.audit import action_label
from hamafza.core.forms import add_service_errors, service_errors
from hamafza.core.media import file_response
from hamafza.core.permissions import can, require
from hamafza.network.selectors import channel_get_for_user, organisation_get_for_user
from hamafza.persian import weeks
from hamafza.persian.digits import format_number
from hamafza.persian.text import checker

from . import calendar, history, limits, previews, reach, selectors, services
from .forms import (
    ComposeForm,
    ConnectForm,
    CorrectionForm,
    DefaultChannelsForm,
    ReturnForm,
    ReviewEditForm,
    WithdrawForm,
    compose_initial,
    normalise_newlines,
    review_edit_initial,
)
from .links import post_public_url
from .models import DeliveryState, Post, PostStatus

# ---- lists -------------------------------------------------------------------------------


@login_required
def post_list(request, pk=None):
    require(request.user, "publishing.menu.posts")
    organisation = None
    if pk is not None:
        organisation = organisation_get_for_user(request.user, pk)
        if not can(request.user, "post.view", _probe(organisation)):
            raise Http404
    status = request.GET.get("status", "")
    if status not in PostStatus.values:
        status = ""
    posts = selectors.post_list(request.user, organisation=organisation, status=status)
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    page.object_list = selectors.with_summaries(page.object_list)
    writable = list(selectors.writable_organisations(request.user))
    if organisation is not None:
        writable = [o for o in writable if o.pk == organisation.pk]
    return render(
        request,
        "publishing/post_list.html",
        {
            "organisation": organisation,
            "page": page,
            "status": status,
            "statuses": PostStatus.choices,
            "writable": writable,
            "can_connect": organisation is not None
            and any(
                can(request.user, "channel.connect", c)
                for c in selectors.organisation_connections(organisation)
            ),
        },
    )


def _probe(organisation):
    """A stand-in post of the organisation, to ask the policy about its posts."""
    return Post(organisation=organisation)


@login_required
def review_queue(request):
    require(request.user, "publishing.menu.review")
    posts = list(selectors.review_queue(request.user)[:100])
    rows = [(post, selectors.finding_counts(selectors.post_findings(post))) for post in posts]
    return render(request, "publishing/review_queue.html", {"rows": rows})


@login_required
def post_calendar(request):
    """The month (or week) of scheduled and sent posts, in Jalali, for the organisations
    whose posts the user sees (or one of them)."""
    require(request.user, "publishing.menu.posts")
    organisation = None
    if request.GET.get("org"):
        organisation = selectors.posts_organisation_get_for_user(request.user, request.GET["org"])
    view = request.GET.get("view", "month")
    if view not in calendar.VIEWS:
        view = "month"
    error, status = "", 200
    try:
        day = calendar.parse_day(request.GET.get("d", ""))
    except calendar.InvalidDate as bad:
        error, status, day = str(bad), 400, calendar.today()
    page = calendar.layout(view, day)
    posts = selectors.calendar_posts(
        request.user, start=page.start, end=page.end, organisation=organisation
    )

    def link(**changes) -> str:
        query = {"view": view, "d": weeks.iso_jalali(day), **changes}
        if organisation is not None:
            query["org"] = organisation.pk
        return "?" + urlencode(query)

    context = {
        "page": calendar.place(page, posts),
        "links": {
            "previous": link(d=weeks.iso_jalali(page.previous)),
            "next": link(d=weeks.iso_jalali(page.next)),
            "today": link(d=weeks.iso_jalali(calendar.today())),
            "month": link(view="month"),
            "week": link(view="week"),
        },
        "organisation": organisation,
        "organisations": selectors.calendar_organisations(request.user),
        "error": error,
    }
    return render(request, "publishing/calendar.html", context, status=status)


# ---- the composer ------------------------------------------------------------------------


@login_required
def post_new(request, pk):
    organisation = organisation_get_for_user(request.user, pk)
    require(request.user, "post.create", organisation)
    return _compose(request, organisation, None)


@login_required
def post_edit(request, pk):
    post = selectors.post_get_for_user(request.user, pk, action="post.edit")
    return _compose(request, post.organisation, post)


@login_required
@require_POST
def post_preview(request, pk):
    """The composer's preview: what each ticked channel will get, rendered as the outbox
    renders it, for the text as typed (nothing is saved)."""
    organisation = organisation_get_for_user(request.user, pk)
    post = None
    if request.POST.get("post", "").isdigit():
        post = selectors.post_get_for_user(request.user, request.POST["post"], action="post.edit")
        if post.organisation_id != organisation.pk:
            raise Http404
    else:
        require(request.user, "post.create", organisation)
    chosen = set(request.POST.getlist("channels"))
    channels = [c for c in selectors.organisation_channels(organisation) if str(c.pk) in chosen]
    texts = {name: normalise_newlines(request.POST.get(name, "")) for name in ("title", "lead")}
    variants = {c.pk: normalise_newlines(request.POST.get(f"variant_{c.pk}", "")) for c in channels}
    rendered = _typed_previews(
        channels,
        post,
        title=texts["title"],
        lead=texts["lead"],
        body=normalise_newlines(request.POST.get("body", "")),
        variants=variants,
    )
    html = render_to_string("publishing/_previews.html", {"previews": rendered}, request=request)
    return JsonResponse({"previews": [p.as_json() for p in rendered], "html": html})


def _typed_previews(channels, post, *, title, lead, body, variants) -> list[previews.Preview]:
    """The previews of a text as typed in the composer."""
    # The body as it will be stored and read back (the outbox reads the stored one).
    body = limits.body_text(limits.body_html(body))
    # A new post's address is not known yet: the site's address stands in for it.
    link = post_public_url(post) if post else settings.PUBLIC_SITE_URL.rstrip("/")
    return [
        previews.channel_preview(
            channel,
            title=title.strip(),
            lead=lead.strip(),
            body=body,
            variant=variants.get(channel.pk, "").strip(),
            link=link,
        )
        for channel in channels
    ]


def _new_post_initial(organisation) -> dict:
    """A new post starts ticked for the organisation's default channels."""
    return {"channels": [str(pk) for pk in selectors.default_channel_ids(organisation)]}


def _compose(request, organisation, post):
    channels = selectors.organisation_channels(organisation)
    photos = list(post.photos.all()) if post else []
    if request.method != "POST":
        initial = compose_initial(post) if post else _new_post_initial(organisation)
        form = ComposeForm(initial=initial, channels=channels, photos=photos)
        return _render_composer(request, organisation, post, form, show_errors=False)

    data = request.POST.copy()
    for name in [*data.keys()]:
        if name in ("title", "lead", "body") or name.startswith("variant_"):
            data[name] = normalise_newlines(data[name])
    if "apply" in data:
        _apply_fix(request, data)
        form = ComposeForm(data, channels=channels, photos=photos)
        return _render_composer(request, organisation, post, form, show_errors=False)

    form = ComposeForm(data, request.FILES, channels=channels, photos=photos)
    if form.is_valid():
        post, saved = _save(request, organisation, post, form)
        if saved:
            if request.POST.get("action") == "submit":
                with service_errors(form):
                    services.post_submit(actor=request.user, post=post)
                    messages.success(request, _("مطلب برای بازبینی فرستاده شد."))
                    return redirect("publishing:post_detail", pk=post.pk)
                return _render_composer(request, organisation, post, form, status=400)
            messages.success(request, _("پیش‌نویس ذخیره شد."))
            return redirect("publishing:post_edit", pk=post.pk)
    return _render_composer(request, organisation, post, form, status=400)


def _save(request, organisation, post, form):
    """Save the post and its photos; errors go beside their fields. Returns the post (the
    new one once created, even if a photo then failed) and whether all of it was saved."""
    values = form.post_values()
    with service_errors(form):
        if post is None:
            post = services.post_create(
                actor=request.user,
                organisation=organisation,
                channels=form.selected_channels(),
                variants=form.variants(),
                **values,
            )
        else:
            post = services.post_update(
                actor=request.user,
                post=post,
                channels=form.selected_channels(),
                variants=form.variants(),
                **values,
            )
        for row in form.photo_rows():
            photo = row["photo"]
            services.post_photo_update(
                actor=request.user,
                photo=photo,
                alt_text=form.cleaned_data.get(f"photo_alt_{photo.pk}"),
                remove=bool(form.cleaned_data.get(f"photo_remove_{photo.pk}")),
            )
        for image in form.cleaned_data.get("photo") or []:
            services.post_photo_add(
                actor=request.user, post=post, image=image, alt_text=form.cleaned_data["photo_alt"]
            )
        if form.cleaned_data.get("attachment"):
            services.post_attachment_set(
                actor=request.user, post=post, upload=form.cleaned_data["attachment"]
            )
        elif form.cleaned_data.get("attachment_remove"):
            services.post_attachment_remove(actor=request.user, post=post)
        return post, True
    return post, False


def _apply_fix(request, data) -> None:
    """Apply one finding (`field:start:end:code`) or every safe one (`field:all`) to the
    typed text, keeping everything else as typed."""
    field, _sep, rest = data["apply"].partition(":")
    if field not in selectors.CHECKED_FIELDS:
        return
    text = data.get(field, "")
    if rest == "all":
        data[field] = checker.fix(text)
        messages.success(request, _("اصلاح‌های مطمئن اعمال شد؛ برای ماندگاری، ذخیره کنید."))
        return
    try:
        start, end, code = rest.split(":", 2)
        start, end = int(start), int(end)
    except ValueError:
        return
    for finding in checker.check(text):
        if (finding.start, finding.end, finding.code) == (start, end, code):
            data[field] = text[:start] + finding.suggestion + text[end:]
            messages.success(request, _("اصلاح اعمال شد؛ برای ماندگاری، ذخیره کنید."))
            return
    messages.warning(request, _("این یافته دیگر در متن نیست؛ متن تازه دوباره بررسی شد."))


def _render_composer(request, organisation, post, form, *, show_errors=True, status=200):
    texts = {
        name: normalise_newlines(form[name].value() or "") for name in selectors.CHECKED_FIELDS
    }
    findings = selectors.check_texts(texts)
    chosen = {str(v) for v in (form["channels"].value() or [])}
    chosen_channels = [c for c in form.channel_list if str(c.pk) in chosen]
    variants = {
        c.pk: normalise_newlines(form[f"variant_{c.pk}"].value() or "") for c in form.channel_list
    }
    photo_count = len(form.photo_list)
    attachment = selectors.post_attachment(post)
    problems = limits.problems(
        channels=chosen_channels,
        title=texts["title"],
        lead=texts["lead"],
        body_text=limits.body_text(limits.body_html(texts["body"])),
        variants=variants,
        photo_count=photo_count,
        attachment=attachment,
    ) + limits.option_problems(
        chosen_channels,
        silent=bool(form["silent"].value()),
        pin=bool(form["pin"].value()),
    )
    publish_at = form.cleaned_data.get("publish_at") if form.is_bound and show_errors else None
    if publish_at is None and post is not None and not form.is_bound:
        publish_at = post.publish_at
    clashes = selectors.clash_warnings(
        title=texts["title"],
        body_html=limits.body_html(texts["body"]),
        channels=chosen_channels,
        publish_at=publish_at,
        exclude_post=post,
    )
    grouped = _by_channel(problems)
    typed_previews = _typed_previews(
        chosen_channels,
        post,
        title=texts["title"],
        lead=texts["lead"],
        body=texts["body"],
        variants=variants,
    )
    action = (
        reverse("publishing:post_edit", args=[post.pk])
        if post and post.pk
        else reverse("publishing:post_new", args=[organisation.pk])
    )
    return render(
        request,
        "publishing/compose.html",
        {
            "organisation": organisation,
            "post": post,
            "form": form,
            "action": action,
            "show_errors": show_errors,
            "findings": findings,
            "counts": selectors.finding_counts(findings),
            "problems": problems,
            "channel_rows": [
                {**row, "problems": grouped.get(row["channel"].pk, [])}
                for row in form.channel_rows()
            ],
            "clashes": clashes,
            "previews": typed_previews,
            "photo_count": photo_count,
            "attachment": attachment,
            "attachment_mb": limits.megabytes(attachment.size) if attachment else "",
            "options": selectors.channel_options(form.channel_list),
            "limits_json": {
                str(c.pk): {
                    "kind": c.kind,
                    "name": str(c),
                    **limits.limits_for_kind(c.kind).as_dict(),
                }
                for c in form.channel_list
            },
        },
        status=status,
    )


def _by_channel(problems):
    grouped: dict[int, list] = {}
    for problem in problems:
        grouped.setdefault(problem.channel_id, []).append(problem)
    return grouped


# ---- one post, and review ----------------------------------------------------------------


def _render_detail(
    request, post, *, return_form=None, review_form=None, approve_error="", status=200
):
    user = request.user
    findings = selectors.post_findings(post)
    targets = list(post.targets.select_related("channel__connection"))
    photos = list(post.photos.all())
    problems = limits.problems(
        channels=[t.channel for t in targets],
        title=post.title,
        lead=post.lead,
        body_text=limits.body_text(post.body),
        variants={t.channel_id: t.variant_text for t in targets},
        photo_count=len(photos),
    )
    channel_previews = [
        previews.channel_preview(
            t.channel,
            title=post.title,
            lead=post.lead,
            body=limits.body_text(post.body),
            variant=t.variant_text,
            link=post_public_url(post),
        )
        for t in targets
    ]
    can_review = post.status == PostStatus.IN_REVIEW and can(user, "post.review", post)
    post.summary = selectors.delivery_summaries([post])[post.pk]
    clashes = selectors.post_clash_warnings(post) if post.status in _BEFORE_SENDING else []
    counts = selectors.finding_counts(findings)
    can_review_edit = can_review and can(user, "post.review_edit", post)
    if can_review_edit and review_form is None:
        review_form = ReviewEditForm(
            initial=review_edit_initial(post, history.post_version(post)), prefix="edit"
        )
    return render(
        request,
        "publishing/post_detail.html",
        {
            "post": post,
            "targets": targets,
            "photos": photos,
            "attachment": selectors.post_attachment(post),
            "findings": findings,
            "counts": counts,
            "problems": problems,
            "previews": channel_previews,
            "clashes": clashes,
            "can_edit": can(user, "post.edit", post),
            "can_review": can_review,
            "needs_confirm": bool(counts["serious"] or clashes),
            "approve_error": approve_error,
            "return_form": return_form or (ReturnForm() if can_review else None),
            "review_form": review_form if can_review_edit else None,
            "review_findings": _typed_findings(review_form) if review_form is not None else {},
            "history": _history_rows(post),
            "has_deliveries": post.deliveries.exists(),
            "can_correct": post.status in _OUT and can(user, "post.withdraw", post),
        },
        status=status,
    )


_BEFORE_SENDING = {PostStatus.DRAFT, PostStatus.RETURNED, PostStatus.IN_REVIEW, PostStatus.APPROVED}


@login_required
def post_detail(request, pk):
    return _render_detail(request, selectors.post_get_for_user(request.user, pk))


@login_required
@require_POST
def post_submit(request, pk):
    post = selectors.post_get_for_user(request.user, pk, action="post.edit")
    with service_errors(request):
        services.post_submit(actor=request.user, post=post)
        messages.success(request, _("مطلب برای بازبینی فرستاده شد."))
        return redirect("publishing:post_detail", pk=post.pk)
    return redirect("publishing:post_edit", pk=post.pk)


@login_required
@require_POST
def post_approve(request, pk):
    post = selectors.post_get_for_user(request.user, pk, action="post.review")
    counts = selectors.finding_counts(selectors.post_findings(post))
    warned = counts["serious"] or selectors.post_clash_warnings(post)
    if warned and not request.POST.get("confirm"):
        error = _("هشدارهای بالا را ببینید؛ اگر با وجود آن‌ها تأیید می‌کنید، گزینه تأیید را بزنید.")
        return _render_detail(request, post, approve_error=error, status=400)
    with service_errors(request):
        services.post_approve(actor=request.user, post=post)
        messages.success(request, _("مطلب تأیید شد و در صف انتشار قرار گرفت."))
        return redirect("publishing:post_deliveries", pk=post.pk)
    return redirect("publishing:post_detail", pk=post.pk)


@login_required
@require_POST
def post_review_edit(request, pk):
    """The reviewer's small edits before approving; the post stays in review."""
    post = selectors.post_get_for_user(request.user, pk, action="post.review_edit")
    form = ReviewEditForm(request.POST, prefix="edit")
    status = 400
    if form.is_valid():
        try:
            edited = services.post_review_edit(actor=request.user, post=post, **form.post_values())
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                # What they typed stays in the box, now against the text as it is.
                post = selectors.post_get_for_user(request.user, pk, action="post.review_edit")
                data = request.POST.copy()
                data["edit-version"] = history.post_version(post)
                form = ReviewEditForm(data, prefix="edit")
                form.is_valid()
                status = 409
            add_service_errors(form, error)
            if status == 409:
                form.add_error(None, _("ویرایش شما در کادر مانده است."))
        else:
            messages.success(request, _("ویرایش شما ثبت شد و در تاریخچه مطلب آمد."))
            serious = selectors.finding_counts(selectors.post_findings(edited))["serious"]
            if serious:
                messages.warning(
                    request,
                    _("بررسی ویرایشی در متن تازه %(n)s یافته جدی دارد؛ پیش از تأیید ببینید.")
                    % {"n": format_number(serious)},
                )
            return redirect("publishing:post_detail", pk=post.pk)
    return _render_detail(request, post, review_form=form, status=status)


def _typed_findings(form) -> dict:
    """The editorial checker on the text in the reviewer's box, as the composer runs it."""
    if not form.is_bound:
        return {}
    texts = {
        name: normalise_newlines(form[name].value() or "")
        for name in ("title", "lead", "body", "tags")
    }
    return {name: found for name, found in selectors.check_texts(texts).items() if found}


# How the history names what changed.
FIELD_LABELS = {
    "title": gettext_lazy("عنوان"),
    "lead": gettext_lazy("لید"),
    "body": gettext_lazy("متن"),
    "tags": gettext_lazy("برچسب‌ها"),
}


def _history_rows(post) -> list[dict]:
    rows = []
    for entry in selectors.post_history(post):
        changes = []
        data = entry.data or {}
        after = data.get("after") or {}
        for name in data.get("fields", []) if after else []:
            old, new = data.get("before", {}).get(name), after.get(name)
            if name == "body":
                old, new = limits.body_text(old or ""), limits.body_text(new or "")
            elif name == "tags":
                old, new = "، ".join(old or []), "، ".join(new or [])
            changes.append(
                {
                    "label": FIELD_LABELS.get(name, name),
                    "diff": history.word_diff(old or "", new or ""),
                }
            )
        rows.append({"entry": entry, "label": action_label(entry.action), "changes": changes})
    return rows


@login_required
@require_POST
def post_return(request, pk):
    post = selectors.post_get_for_user(request.user, pk, action="post.review")
    form = ReturnForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.post_return(
                actor=request.user, post=post, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("مطلب با نظر شما به نویسنده بازگشت."))
            return redirect("publishing:review_queue")
    return _render_detail(request, post, return_form=form, status=400)


_OUT = {PostStatus.APPROVED, PostStatus.SENDING, PostStatus.SENT}


@login_required
def post_correct(request, pk):
    """Correct a post after it went out: the site shows the new text at once, and every
    channel it reached gets an edit or a correction message (each exactly once)."""
    post = selectors.post_get_for_user(request.user, pk, action="post.withdraw")
    if post.status not in _OUT:
        raise PermissionDenied
    # The body in the formatting markup, as the composer shows it.
    initial = {"title": post.title, "lead": post.lead, "body": limits.body_text(post.body)}
    form = CorrectionForm(request.POST or None, initial=initial)
    withdraw_form = WithdrawForm()
    if request.method == "POST" and form.is_valid():
        values = {**form.cleaned_data}
        values["body"] = limits.body_html(normalise_newlines(values["body"]))
        with service_errors(form):
            services.post_correct(actor=request.user, post=post, **values)
            messages.success(request, _("اصلاحیه ثبت شد و به کانال‌ها می‌رود."))
            return redirect("publishing:post_deliveries", pk=post.pk)
    context = {
        "post": post,
        "form": form,
        "withdraw_form": withdraw_form,
        "withdrawal_plan": selectors.withdrawal_plan(post),
    }
    return render(
        request, "publishing/post_correct.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def post_withdraw(request, pk):
    post = selectors.post_get_for_user(request.user, pk, action="post.withdraw")
    form = WithdrawForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            services.post_withdraw(
                actor=request.user, post=post, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("مطلب پس گرفته شد؛ از کانال‌ها حذف یا اعلام می‌شود."))
            return redirect("publishing:post_deliveries", pk=post.pk)
    context = {
        "post": post,
        "form": CorrectionForm(
            initial={"title": post.title, "lead": post.lead, "body": limits.body_text(post.body)}
        ),
        "withdraw_form": form,
        "withdrawal_plan": selectors.withdrawal_plan(post),
    }
    return render(request, "publishing/post_correct.html", context, status=400)


@login_required
def photo(request, pk):
    """A photo for those who may see its post, whatever the post's state (drafts too)."""
    item = selectors.photo_get_for_user(request.user, pk)
    return file_response(request, item.image.storage, item.image.name, public=False, max_age=3600)


@login_required
def attachment(request, pk):
    """A post's video or document for those who may see the post (a download)."""
    item = selectors.attachment_get_for_user(request.user, pk)
    return file_response(request, item.file.storage, item.file.name, public=False, max_age=3600)


# ---- deliveries --------------------------------------------------------------------------

STATE_HELP = {
    DeliveryState.PENDING: _("در صف است و در زمان خود فرستاده می‌شود."),
    DeliveryState.LEASED: _("همین حالا در حال فرستادن است."),
    DeliveryState.RETRY: _("این بار نرسید؛ خودکار دوباره تلاش می‌شود."),
    DeliveryState.SENT: _("فرستاده شد."),
    DeliveryState.FAILED: _("پیام‌رسان این مطلب را نپذیرفت؛ متن یا عکس را بررسی کنید."),
    DeliveryState.CREDENTIALS: _(
        "توکن یا دسترسی ربات درست نیست؛ مدیر روابط عمومی باید کانال را دوباره وصل کند."
    ),
    DeliveryState.UNCONFIRMED: _(
        "درخواست رفت ولی پاسخی نیامد؛ شاید منتشر شده باشد. کانال را ببینید و بگویید."
    ),
    DeliveryState.TOO_LATE: _(
        "پیام‌رسان دیگر حذف یا ویرایش این پیام را نمی‌پذیرد (مهلتش گذشته است)؛"
        " به جای آن اطلاعیه فرستاده می‌شود."
    ),
    DeliveryState.CANCELLED: _("لغو شد."),
}
# Said beside the state when part of a post (the photos before its text) is already up.
PART_OUT = _("بخشی از مطلب (عکس‌ها) در کانال است؛ تنها بخش مانده فرستاده می‌شود.")


def _delivery_help(d) -> str:
    help_text = STATE_HELP.get(d.state, "")
    if d.parts and d.state in (
        DeliveryState.RETRY,
        DeliveryState.PENDING,
        DeliveryState.CREDENTIALS,
    ):
        help_text = f"{help_text} {PART_OUT}"
    return help_text


@login_required
def post_deliveries(request, pk):
    post = selectors.post_get_for_user(request.user, pk)
    rows = [{"delivery": d, "help": _delivery_help(d)} for d in selectors.post_deliveries(post)]
    post.summary = selectors.delivery_summaries([post])[post.pk]
    can_retry = bool(rows) and can(request.user, "delivery.retry", rows[0]["delivery"])
    return render(
        request,
        "publishing/deliveries.html",
        {
            "post": post,
            "rows": rows,
            "can_resolve": can(request.user, "post.review", post),
            "can_retry": can_retry and post.status != PostStatus.WITHDRAWN,
            "failed_count": sum(r["delivery"].state == DeliveryState.FAILED for r in rows),
        },
    )


@login_required
@require_POST
def delivery_resolve(request, pk):
    delivery = selectors.delivery_get_for_user(request.user, pk, action="post.view")
    require(request.user, "delivery.resolve", delivery)
    posted = request.POST.get("outcome") == "posted"
    remote_url = request.POST.get("remote_url", "") if posted else ""
    with service_errors(request):
        services.delivery_resolve(
            actor=request.user, delivery=delivery, sent=posted, remote_url=remote_url
        )
        messages.success(
            request,
            _("ثبت شد که منتشر شده است.") if posted else _("دوباره در صف ارسال قرار گرفت."),
        )
    return redirect("publishing:post_deliveries", pk=delivery.post_id)


def _retry_refused(request, error) -> None:
    """A retry refused: the reason, and where the channel is reconnected if that is it."""
    channel = getattr(error, "channel", None)
    if channel is not None and can(request.user, "channel.connect", channel):
        messages.error(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                " ".join(error.messages),
                reverse("publishing:connections", args=[channel.organisation_id]),
                _("وصل کردن کانال"),
            ),
        )
    else:
        messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def delivery_retry(request, pk):
    delivery = selectors.delivery_get_for_user(request.user, pk)
    require(request.user, "delivery.retry", delivery)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as error:
        _retry_refused(request, error)
    else:
        messages.success(
            request,
            _("ارسال به %(channel)s دوباره در صف قرار گرفت.") % {"channel": delivery.channel},
        )
    return redirect("publishing:post_deliveries", pk=delivery.post_id)


@login_required
@require_POST
def post_retry_failed(request, pk):
    post = selectors.post_get_for_user(request.user, pk)
    try:
        retried, blocked = services.post_retry_failed(actor=request.user, post=post)
    except ValidationError as error:
        _retry_refused(request, error)
    else:
        messages.success(
            request,
            _("%(n)s ارسال ناموفق دوباره در صف قرار گرفت.") % {"n": format_number(len(retried))},
        )
        if blocked:
            names = "، ".join(str(c) for c in blocked)
            messages.warning(
                request,
                _("این کانال‌ها تا وصل شدن ربات منتظر می‌مانند: %(names)s") % {"names": names},
            )
    return redirect("publishing:post_deliveries", pk=post.pk)


@login_required
def queue_health(request):
    require(request.user, "network.admin")
    return render(request, "publishing/queue_health.html", selectors.queue_health())


# ---- channel connections -----------------------------------------------------------------


def _render_connections(request, organisation, *, failed=None, defaults_form=None, status=200):
    channels = selectors.organisation_connections(organisation)
    rows = []
    for channel in channels:
        if not can(request.user, "channel.connect", channel):
            continue
        form = failed[1] if failed and failed[0] == channel.pk else ConnectForm(channel=channel)
        rows.append(
            {"channel": channel, "connection": getattr(channel, "connection", None), "form": form}
        )
    if not rows and channels:
        require(request.user, "channel.connect", channels[0])
    context = {"organisation": organisation, "rows": rows}
    if can(request.user, "publishing.defaults.manage", organisation):
        context["defaults_form"] = defaults_form or DefaultChannelsForm(
            initial={"channels": [str(pk) for pk in selectors.default_channel_ids(organisation)]},
            channels=selectors.organisation_channels(organisation),
        )
    return render(request, "publishing/connections.html", context, status=status)


@login_required
@require_POST
def default_channels(request, pk):
    organisation = organisation_get_for_user(request.user, pk)
    require(request.user, "publishing.defaults.manage", organisation)
    form = DefaultChannelsForm(request.POST, channels=selectors.organisation_channels(organisation))
    if form.is_valid():
        with service_errors(form):
            services.default_channels_set(
                actor=request.user,
                organisation=organisation,
                channel_ids=form.cleaned_data["channels"],
            )
            messages.success(request, _("کانال‌های پیش‌فرض نوشته‌های تازه ذخیره شد."))
            return redirect("publishing:connections", pk=organisation.pk)
    return _render_connections(request, organisation, defaults_form=form, status=400)


@login_required
def connections(request, pk):
    organisation = organisation_get_for_user(request.user, pk)
    return _render_connections(request, organisation)


@login_required
@require_POST
def channel_connect(request, pk):
    channel = channel_get_for_user(request.user, pk, action="channel.connect")
    form = ConnectForm(request.POST, channel=channel)
    if form.is_valid():
        with service_errors(form):
            services.channel_connect(actor=request.user, channel=channel, **form.cleaned_data)
            messages.success(request, _("%(channel)s وصل شد.") % {"channel": channel})
            return redirect("publishing:connections", pk=channel.organisation_id)
    return _render_connections(request, channel.organisation, failed=(channel.pk, form), status=400)


@login_required
def organisation_reach(request, pk):
    """Which of the organisation's posts were read on the site, and at what hours its
    readers come."""
    organisation = organisation_get_for_user(request.user, pk)
    if not (
        can(request.user, "post.create", organisation)
        or can(request.user, "publishing.menu.review")
    ):
        raise PermissionDenied
    hours = reach.best_hours(organisation)
    peak = max((count for _hour, count in hours), default=0)
    context = {
        "org": organisation,
        "posts": reach.post_reach(organisation),
        "hours": [(hour, count, round(100 * count / peak) if peak else 0) for hour, count in hours],
    }
    return render(request, "publishing/reach.html", context)
