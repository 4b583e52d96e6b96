from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.forms import JalaliDateField, MobileField, PersianDigitsMixin, model_field

from .models import (
    CHANNEL_TAKEN,
    GUARDED_ROLES,
    ORGANISATION_NAME_TAKEN,
    ORGANISATION_SLUG_TAKEN,
    PROVINCE_HAS_HUB,
    Channel,
    County,
    Organisation,
    OrganisationKind,
    Role,
)

User = get_user_model()


class OrganisationForm(PersianDigitsMixin, forms.Form):
    """An organisation's fields, for creating one or (with `initial=` from it) editing it;
    the services check and save."""

    digit_fields = ("phone",)

    name = model_field(Organisation, "name")
    short_name = model_field(Organisation, "short_name")
    slug = model_field(
        Organisation, "slug", help_text=_("حروف، عدد و خط تیره؛ در نشانی صفحه‌های عمومی می‌آید.")
    )
    kind = model_field(Organisation, "kind")
    parent = model_field(Organisation, "parent")
    province = model_field(Organisation, "province")
    county = model_field(Organisation, "county")
    website = model_field(Organisation, "website")
    phone = model_field(Organisation, "phone")
    address = model_field(Organisation, "address")
    is_active = model_field(Organisation, "is_active")

    def __init__(self, *args, structural: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.select_related("province")
        self.fields["parent"].queryset = Organisation.objects.in_network_order()
        provinces = self.fields["province"].queryset
        if "province" not in self.initial and provinces.count() == 1:
            self.fields["province"].initial = provinces.first()
        if not structural:
            # Only network admins move organisations around the network.
            for name in ("kind", "parent", "province", "is_active"):
                self.fields[name].disabled = True

    # Said here too, so every mistake shows at once; the services still decide (and
    # catch a race). A value as stored is the organisation's own.
    def clean_name(self):
        return _unless_taken(self, "name", Organisation, ORGANISATION_NAME_TAKEN)

    def clean_slug(self):
        return _unless_taken(self, "slug", Organisation, ORGANISATION_SLUG_TAKEN)

    def clean(self):
        data = super().clean()
        kind, province = data.get("kind"), data.get("province")
        own = (self.initial.get("kind"), self.initial.get("province")) == (
            kind,
            getattr(province, "pk", None),
        )
        if kind == OrganisationKind.HUB and province is not None and not own:
            if Organisation.objects.filter(kind=kind, province=province).exists():
                self.add_error(None, PROVINCE_HAS_HUB)
        return data


def _unless_taken(form, name: str, model, message):
    value = form.cleaned_data[name]
    if value and value != form.initial.get(name) and model.objects.filter(**{name: value}).exists():
        raise forms.ValidationError(message)
    return value


class PersonForm(PersianDigitsMixin, forms.Form):
    username = forms.RegexField(
        widget=forms.TextInput({"dir": "ltr", "autocomplete": "off"}),
        label=_("نام کاربری"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={
            "invalid": _("نام کاربری را با حروف لاتین، عدد و _ بنویسید (دست‌کم ۳ نویسه).")
        },
    )
    first_name = forms.CharField(label=_("نام"), max_length=150)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=150)
    mobile = MobileField(label=_("تلفن همراه"), required=False)
    email = forms.EmailField(
        label=_("رایانامه"), required=False, widget=forms.EmailInput({"dir": "ltr"})
    )
    password = forms.CharField(
        label=_("گذرواژه نخست"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("خالی بگذارید تا شخص فعلاً نتواند وارد شود."),
    )
    organisation = forms.ModelChoiceField(
        label=_("سازمان"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("نقش"), choices=[("", "—"), *Role.choices], required=False)
    title = forms.CharField(label=_("سمت"), max_length=120, required=False)

    def __init__(self, *args, organisations=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.all()
        ).in_network_order()
        if roles is not None:  # only what the person filling the form may grant
            self.fields["role"].choices = [("", "—"), *roles]

    def clean_username(self):
        # Said here too, so every mistake shows at once; the service still decides.
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("این نام کاربری گرفته شده است."))
        return username


class PersonEditForm(PersianDigitsMixin, forms.Form):
    first_name = forms.CharField(label=_("نام"), max_length=150)
    last_name = forms.CharField(label=_("نام خانوادگی"), max_length=150)
    mobile = MobileField(label=_("تلفن همراه"), required=False)
    email = forms.EmailField(
        label=_("رایانامه"), required=False, widget=forms.EmailInput({"dir": "ltr"})
    )


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(label=_("شخص"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("نقش"), choices=Role.choices)
    title = forms.CharField(label=_("سمت"), max_length=120, required=False)

    def __init__(self, *args, people=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            people if people is not None else User.objects.filter(is_active=True)
        )
        if roles is not None:
            self.fields["role"].choices = roles


class ChannelForm(forms.Form):
    """A channel's fields, for adding one or (with `initial=` from it) editing it; the
    services check and save (a channel already listed is refused beside its handle)."""

    kind = model_field(Channel, "kind")
    handle = model_field(
        Channel,
        "handle",
        help_text=_("شناسه کانال، مثلاً ‎@tavon_sb یا نشانی سایت"),
        widget=forms.TextInput({"dir": "ltr"}),
    )
    title = model_field(Channel, "title")
    url = model_field(Channel, "url", widget=forms.URLInput({"dir": "ltr"}))
    is_active = model_field(Channel, "is_active")

    def clean(self):
        # Said here too, so every mistake shows at once; the services still decide.
        data = super().clean()
        kind, handle = data.get("kind"), data.get("handle")
        stored = (self.initial.get("kind"), self.initial.get("handle"))
        if handle and (kind, handle) != stored:
            if Channel.objects.filter(kind=kind, handle=handle).exists():
                self.add_error("handle", CHANNEL_TAKEN)
        return data


class AudienceForm(PersianDigitsMixin, forms.Form):
    taken_on = JalaliDateField(label=_("تاریخ"), initial=timezone.localdate)
    members = forms.IntegerField(label=_("شمار مخاطبان"), min_value=0)


class TwoFactorRequirementForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("نقش‌هایی که ورود دومرحله‌ای برایشان لازم است"),
        choices=[(role.value, role.label) for role in GUARDED_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "کسانی که این نقش‌ها را دارند باید پس از گذرواژه رمز برنامه احراز هویت را هم بنویسند؛ حساب‌های نمایشی از این قاعده بیرون‌اند."
        ),
    )
