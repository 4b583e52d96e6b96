"""The composer and the small forms of review and channel connection. Forms only read
what was typed; the services decide."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.forms import JalaliDateTimeField, PersianDigitsMixin
from hamafza.core.uploads import POST_ATTACHMENT, POST_PHOTO, file_accept, image_check
from hamafza.persian.digits import format_number

from . import limits
from .models import PostKind
from .platforms.registry import platform_for

_TAG_SPLIT = re.compile(r"[,،;؛\n]+")


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF; the checker's offsets are counted on LF text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# The most photos one post takes (services.MAX_PHOTOS, the messengers' largest album).
MAX_PHOTOS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos picked at once (one <input type=file multiple>): a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput({"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files if f]


class ComposeForm(PersianDigitsMixin, forms.Form):
    # Only the time takes Latin digits: the text keeps the digits the editor typed.
    digit_fields = ("publish_at",)

    kind = forms.ChoiceField(label=_("نوع مطلب"), choices=PostKind.choices)
    title = forms.CharField(label=_("عنوان"), max_length=250)
    lead = forms.CharField(
        label=_("لید"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("یکی دو جمله که خبر را خلاصه می‌کند."),
    )
    body = forms.CharField(
        label=_("متن"),
        widget=forms.Textarea({"rows": 10}),
        help_text=_(
            "بندها را با یک سطر خالی از هم جدا کنید. قالب‌بندی: **پررنگ**، __کج__،"
            " [متن پیوند](https://…) و سطری که با «> » آغاز شود برای نقل قول."
        ),
    )
    tags = forms.CharField(
        label=_("برچسب‌ها"), required=False, help_text=_("با ویرگول (،) از هم جدا کنید.")
    )
    channels = forms.MultipleChoiceField(
        label=_("کانال‌های انتشار"), required=False, widget=forms.CheckboxSelectMultiple
    )
    when = forms.ChoiceField(
        label=_("زمان انتشار"),
        choices=[("now", _("بی‌درنگ پس از تأیید")), ("later", _("در زمان مشخص"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    publish_at = JalaliDateTimeField(
        label=_("تاریخ و ساعت انتشار"), required=False, help_text=_("به وقت تهران")
    )
    photo = MultipleImageField(
        label=_("افزودن عکس"),
        required=False,
        help_text=_(
            "چند عکس را با هم برگزینید (هر مطلب تا ۱۰ عکس). عکس‌ها تا ۱۶۰۰ نقطه کوچک و به JPEG"
            " تبدیل می‌شوند."
        ),
    )
    # One text for the photos picked together: a file input has no field per file, and
    # the composer must work without script. Each photo's own text is then edited in the
    # list above, once saved.
    photo_alt = forms.CharField(
        label=_("متن جایگزین عکس‌ها"),
        max_length=250,
        required=False,
        help_text=_(
            "بنویسید در عکس‌ها چه دیده می‌شود؛ پس از ذخیره، متن هر عکس را جداگانه ویرایش کنید."
        ),
    )
    attachment = forms.FileField(
        label=_("پیوست ویدیو یا سند"),
        required=False,
        widget=forms.ClearableFileInput(
            {"accept": "video/mp4,application/pdf,.pdf,.mp4,.docx,.xlsx,.pptx"}
        ),
        help_text=_("یک ویدیوی MP4 یا یک سند PDF، Word، Excel یا PowerPoint."),
    )
    attachment_remove = forms.BooleanField(label=_("برداشتن پیوست"), required=False)
    silent = forms.BooleanField(
        label=_("بی‌صدا"),
        required=False,
        help_text=_("اعضای کانال آگاه‌سازی بی‌صدا می‌گیرند."),
    )
    pin = forms.BooleanField(
        label=_("سنجاق"),
        required=False,
        help_text=_("پس از ارسال، مطلب در بالای کانال سنجاق می‌شود."),
    )

    def __init__(self, *args, channels=(), photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channel_list = list(channels)
        self.photo_list = list(photos)
        self.fields["channels"].choices = [(str(c.pk), str(c)) for c in self.channel_list]
        for channel in self.channel_list:
            self.fields[f"variant_{channel.pk}"] = forms.CharField(
                label=_("متن ویژه %(channel)s") % {"channel": channel},
                required=False,
                widget=forms.Textarea({"rows": 4}),
            )
        for photo in self.photo_list:
            self.fields[f"photo_alt_{photo.pk}"] = forms.CharField(
                label=_("متن جایگزین"), max_length=250, initial=photo.alt_text
            )
            self.fields[f"photo_remove_{photo.pk}"] = forms.BooleanField(
                label=_("برداشتن این عکس"), required=False
            )

    # --- what the template walks through ---

    def channel_rows(self):
        checked = {str(v) for v in (self["channels"].value() or [])}
        return [
            {
                "channel": c,
                "checked": str(c.pk) in checked,
                "variant": self[f"variant_{c.pk}"],
                "limits": limits.limits_for_kind(c.kind),
            }
            for c in self.channel_list
        ]

    def photo_rows(self):
        return [
            {"photo": p, "alt": self[f"photo_alt_{p.pk}"], "remove": self[f"photo_remove_{p.pk}"]}
            for p in self.photo_list
        ]

    # --- cleaning ---

    def clean_title(self):
        return normalise_newlines(self.cleaned_data["title"]).replace("\n", " ").strip()

    def clean_lead(self):
        return normalise_newlines(self.cleaned_data["lead"]).strip()

    def clean_body(self):
        return normalise_newlines(self.cleaned_data["body"]).strip()

    def clean_tags(self):
        tags = [t.strip() for t in _TAG_SPLIT.split(self.cleaned_data["tags"] or "")]
        return list(dict.fromkeys(t for t in tags if t))[:20]

    def clean_photo(self):
        # The limits and the type, read from each file itself, beside the field; the
        # service decodes and re-encodes them (core.uploads) whoever the caller.
        photos = self.cleaned_data.get("photo") or []
        kept = len(self.photo_list) - sum(
            1 for p in self.photo_list if self.data.get(f"photo_remove_{p.pk}")
        )
        if kept + len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(
                _(
                    "هر مطلب دست‌بالا %(max)s عکس می‌گیرد؛ این مطلب %(kept)s عکس دارد و %(new)s عکس برگزیدید."
                )
                % {
                    "max": format_number(MAX_PHOTOS),
                    "kept": format_number(kept),
                    "new": format_number(len(photos)),
                }
            )
        errors = []
        for photo in photos:
            try:
                image_check(photo, rules=POST_PHOTO)
            except forms.ValidationError as error:
                name = getattr(photo, "name", "")
                errors.extend(f"{name}: {m}" for m in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return photos

    def clean_attachment(self):
        # Its size and type from its bytes, beside the field; the channels' own limits
        # are shown beside the channels and checked on submit.
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.accepted_attachment = file_accept(upload, rules=POST_ATTACHMENT)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            moment = data.get("publish_at")
            if moment is None and "publish_at" not in self.errors:
                self.add_error("publish_at", _("تاریخ و ساعت انتشار را بنویسید."))
            elif moment is not None and moment <= timezone.now():
                self.add_error("publish_at", _("این زمان گذشته است؛ زمانی در آینده برگزینید."))
        else:
            data["publish_at"] = None
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt", _("بنویسید در عکس چه دیده می‌شود (برای نابینایان و جست‌وجو).")
            )
        return data

    # --- what the services take ---

    def selected_channels(self):
        chosen = set(self.cleaned_data.get("channels") or [])
        return [c for c in self.channel_list if str(c.pk) in chosen]

    def variants(self) -> dict[int, str]:
        return {
            c.pk: normalise_newlines(self.cleaned_data.get(f"variant_{c.pk}") or "").strip()
            for c in self.channel_list
        }

    def post_values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "lead": data["lead"],
            "body": limits.body_html(data["body"]),
            "tags": data["tags"],
            "publish_at": data["publish_at"],
            "silent": data.get("silent", False),
            "pin": data.get("pin", False),
        }


def compose_initial(post) -> dict:
    initial = {
        "kind": post.kind,
        "title": post.title,
        "lead": post.lead,
        "body": limits.body_text(post.body),
        "tags": "، ".join(post.tags or []),
        "channels": [str(t.channel_id) for t in post.targets.all()],
        "when": "later" if post.publish_at else "now",
        "publish_at": post.publish_at,
        "silent": post.silent,
        "pin": post.pin,
    }
    for target in post.targets.all():
        initial[f"variant_{target.channel_id}"] = target.variant_text
    return initial


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("چه چیزی باید اصلاح شود؟"), widget=forms.Textarea({"rows": 3}), max_length=2000
    )


class CorrectionForm(forms.Form):
    """The corrected text of a post that went out; the channels get an edit where they
    allow it, otherwise a correction message linking to the post."""

    title = forms.CharField(label=_("عنوان"), max_length=250)
    lead = forms.CharField(label=_("لید"), widget=forms.Textarea({"rows": 3}), required=False)
    body = forms.CharField(
        label=_("متن"),
        widget=forms.Textarea({"rows": 10}),
        help_text=_(
            "مانند نوشتن مطلب: **پررنگ**، __کج__، [متن پیوند](https://…) و «> » برای نقل قول."
        ),
    )
    note = forms.CharField(
        label=_("چه چیزی اصلاح شد؟"),
        max_length=500,
        help_text=_("در پیام اصلاحیه کانال‌هایی می‌آید که ویرایش را نمی‌پذیرند."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("دلیل پس‌گرفتن"), max_length=500)


class ConnectForm(forms.Form):
    token = forms.CharField(
        label=_("توکن ربات"),
        max_length=300,
        widget=forms.PasswordInput({"autocomplete": "off", "dir": "ltr"}, render_value=False),
        help_text=_("پس از ذخیره دیگر نشان داده نمی‌شود."),
    )
    chat_id = forms.CharField(
        label=_("شناسه کانال در پیام‌رسان"),
        max_length=120,
        widget=forms.TextInput({"dir": "ltr"}),
    )
    base_url = forms.URLField(
        label=_("نشانی API"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput({"dir": "ltr"}),
        help_text=_("خالی: نشانی پیش‌فرض پیام‌رسان"),
    )

    def __init__(self, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channel is not None:
            self.prefix = f"c{channel.pk}"
            platform = platform_for(channel.kind)
            if platform is not None:  # how a channel's id is written there
                self.fields["chat_id"].help_text = platform.chat_id_hint
                if platform.token_label:
                    self.fields["token"].label = platform.token_label
                if platform.chat_id_label:
                    self.fields["chat_id"].label = platform.chat_id_label


class ReviewEditForm(forms.Form):
    """A reviewer's small edits before approving, against the version they read."""

    title = forms.CharField(label=_("عنوان"), max_length=250)
    lead = forms.CharField(label=_("لید"), widget=forms.Textarea({"rows": 2}), required=False)
    body = forms.CharField(
        label=_("متن"),
        widget=forms.Textarea({"rows": 8}),
        help_text=_(
            "مانند نوشتن مطلب: **پررنگ**، __کج__، [متن پیوند](https://…) و «> » برای نقل قول."
        ),
    )
    tags = forms.CharField(
        label=_("برچسب‌ها"), required=False, help_text=_("با ویرگول (،) از هم جدا کنید.")
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def clean_title(self):
        return normalise_newlines(self.cleaned_data["title"]).replace("\n", " ").strip()

    def clean_lead(self):
        return normalise_newlines(self.cleaned_data["lead"]).strip()

    def clean_body(self):
        return normalise_newlines(self.cleaned_data["body"]).strip()

    def clean_tags(self):
        return split_tags(self.cleaned_data["tags"])

    def post_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "lead": data["lead"],
            "body": limits.body_html(data["body"]),
            "tags": data["tags"],
            "version": data["version"],
        }


def split_tags(text: str) -> list[str]:
    tags = [t.strip() for t in _TAG_SPLIT.split(text or "")]
    return list(dict.fromkeys(t for t in tags if t))[:20]


def review_edit_initial(post, version: str) -> dict:
    return {
        "title": post.title,
        "lead": post.lead,
        "body": limits.body_text(post.body),
        "tags": "، ".join(post.tags or []),
        "version": version,
    }


class DefaultChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("کانال‌هایی که نوشته تازه با آن‌ها آغاز می‌شود"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("نویسنده هنوز می‌تواند در هر نوشته کانال‌ها را کم و زیاد کند."),
    )

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [
            (str(c.pk), f"{c.get_kind_display()} {c.handle}") for c in channels
        ]
