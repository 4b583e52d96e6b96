"""System checks for settings a deployment can get wrong (`hamafza check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


@register(deploy=True)
def sms_backend_check(app_configs, **kwargs):
    try:
        backend = import_string(settings.SMS_BACKEND)
    except ImportError:
        return [
            Error(f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported", id="hamafza.E001")
        ]
    from .sms.kavenegar import KavenegarBackend, parse_templates
    from .sms.log import LogBackend

    problems = []
    if issubclass(backend, LogBackend):
        problems.append(
            Warning(
                "SMS_BACKEND is the log backend: no SMS leaves this server",
                hint="set SMS_BACKEND=hamafza.core.sms.kavenegar.KavenegarBackend",
                id="hamafza.W001",
            )
        )
    if issubclass(backend, KavenegarBackend):
        if not settings.KAVENEGAR_API_KEY:
            problems.append(Error("KAVENEGAR_API_KEY is not set", id="hamafza.E002"))
        try:
            templates = parse_templates(settings.KAVENEGAR_TEMPLATES)
        except ValueError as exc:
            problems.append(Error(str(exc), id="hamafza.E003"))
        else:
            if not any(language == "fa" for language, _purpose in templates):
                problems.append(
                    Warning(
                        "KAVENEGAR_TEMPLATES names no Persian template: one-time codes fail",
                        id="hamafza.W002",
                    )
                )
    return problems
