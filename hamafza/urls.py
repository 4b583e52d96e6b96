from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hamafza.core import doors, media
from hamafza.core import views as core_views
from hamafza.core.decorators import public

from .api import api

admin.site.site_header = "هم‌افزا — پیشخوان مدیریت"
admin.site.site_title = "هم‌افزا"
admin.site.index_title = "مدیریت"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/workers", core_views.healthz_workers, name="healthz_workers"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", doors.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgot/", doors.password_forgot, name="password_forgot"),
    path("password/forgot/code/", doors.password_forgot_code, name="password_forgot_code"),
    path(
        "password/reset/<uidb64>/<token>/",
        public(doors.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="core/password_change_done.html"),
        name="password_change_done",
    ),
    path("account/api-tokens/", core_views.api_tokens, name="api_tokens"),
    path("account/two-factor/", doors.two_factor_page, name="two_factor"),
    path("account/two-factor/verify/", doors.two_factor_verify, name="two_factor_verify"),
    path(
        "account/api-tokens/<int:pk>/revoke/", core_views.api_token_revoke, name="api_token_revoke"
    ),
    path("network/", include("hamafza.network.urls")),
    path("calendar/", include("hamafza.occasions.urls")),
    path("mawkib/", include("hamafza.mawkib.urls")),
    path("publishing/", include("hamafza.publishing.urls")),
    path("", include("hamafza.portal.urls")),
    # Uploads: files public from birth, and private ones their app declares public now
    # (published posts' photos); everything else under /media/ is a 404 (core.media).
    path("media/public/<path:path>", media.public_file, name="public_media"),
    path("media/<path:path>", media.gated_media, name="media"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
