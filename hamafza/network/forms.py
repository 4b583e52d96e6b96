from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamafza.core.forms import JalaliDateField, MobileField, PersianDigitsMixin

from .models import CHANNEL_TAKEN, GUARDED_ROLES, Channel, County, Organisation, Role

User = get_user_model()


class OrganisationForm(PersianDigitsMixin, forms.ModelForm):
    digit_fields = ("phone",)

    class Meta:
        model = Organisation
        fields = [
            "name", "short_name", "slug", "kind", "parent", "province", "county",
            "website", "phone", "address", "is_active",
        ]  # fmt: skip
        help_texts = {"slug": _("حروف، عدد و خط تیره؛ در نشانی صفحه‌های عمومی می‌آید.")}

    def __init__(self, *args, structural: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.select_related("province")
        self.fields["parent"].queryset = Organisation.objects.in_network_order()
        provinces = self.fields["province"].queryset
        if not self.instance.pk and provinces.count() == 1:
            self.fields["province"].initial = provinces.first()
        if not structural:
            # Only network admins move organisations around the network.
            for name in ("kind", "parent", "province", "is_active"):
                self.fields[name].disabled = True


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


class ChannelForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        # The (kind, handle) constraint reports above the form; it belongs beside the handle.
        taken = [e for e in self.errors.get("__all__", []) if e == str(CHANNEL_TAKEN)]
        if taken:
            self.errors["__all__"] = self.error_class(
                [e for e in self.errors["__all__"] if e not in taken]
            )
            if not self.errors["__all__"]:
                del self.errors["__all__"]
            self.add_error("handle", CHANNEL_TAKEN)

    class Meta:
        model = Channel
        fields = ["kind", "handle", "title", "url", "is_active"]
        help_texts = {"handle": _("شناسه کانال، مثلاً ‎@tavon_sb یا نشانی سایت")}
        widgets = {
            "handle": forms.TextInput({"dir": "ltr"}),
            "url": forms.URLInput({"dir": "ltr"}),
        }


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
