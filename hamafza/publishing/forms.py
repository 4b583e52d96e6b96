"""The composer and the small forms of review and channel connection. Forms only read
what was typed; the services decide."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.forms import JalaliDateTimeField, PersianDigitsMixin
from hamafza.core.uploads import POST_PHOTO, image_check

from . import limits
from .models import PostKind
from .platforms.registry import platform_for

_TAG_SPLIT = re.compile(r"[,،;؛\n]+")


def normalise_newlines(text: str) -> str:
    """Browsers send CRLF; the checker's offsets are counted on LF text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


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
    photo = forms.FileField(
        label=_("افزودن عکس"),
        required=False,
        widget=forms.ClearableFileInput({"accept": "image/*"}),
        help_text=_("عکس تا ۱۶۰۰ نقطه کوچک و به JPEG تبدیل می‌شود."),
    )
    photo_alt = forms.CharField(
        label=_("متن جایگزین عکس"),
        max_length=250,
        required=False,
        help_text=_("بنویسید در عکس چه دیده می‌شود."),
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
        # The limits and the type, read from the file itself, beside the field; the
        # service decodes and re-encodes it (core.uploads) whoever the caller.
        photo = self.cleaned_data.get("photo")
        if photo:
            image_check(photo, rules=POST_PHOTO)
        return photo

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
