"""The Kavenegar client against a local server that answers as Kavenegar does: every class
of answer, the templates for one-time codes, and the key kept out of every text."""

import logging
import sys

import pytest

from hamafza.core.redaction import RedactingFilter, redact
from hamafza.core.sms import SmsMessage, SmsOutcome
from hamafza.core.sms.kavenegar import KavenegarBackend, parse_templates
from hamafza_fakes import FakeKavenegar, refused_url, unanswered_connect

KEY = "4A6F4B77-demo-kavenegar-key-31415926"
MOBILE = "09121234567"


@pytest.fixture
def api():
    with FakeKavenegar(api_keys={KEY}, templates={"hamafza-application"}) as fake:
        yield fake


def client(api, **overrides) -> KavenegarBackend:
    values = {
        "api_key": KEY,
        "sender": "",
        "templates": "application=hamafza-application",
        "base_url": api.base_url,
    }
    return KavenegarBackend(**(values | overrides))


def test_a_notice_is_posted_as_a_form_and_gets_the_gateways_message_id(api):
    result = client(api).send(SmsMessage(to=MOBILE, text="نشست شورا فردا ساعت ۱۰", local_id="7"))

    assert result.outcome == SmsOutcome.SENT and result.status == 200
    [call] = api.calls_to("sms/send")
    assert call.params == {"receptor": MOBILE, "message": "نشست شورا فردا ساعت ۱۰", "localid": "7"}
    assert "?" not in call.path  # the text never stands in the URL
    assert result.gateway_id == str(api.sent[0]["messageid"])


def test_a_one_time_code_goes_by_the_template_for_its_purpose(api):
    result = client(api).send_otp(to=MOBILE, code="482913", purpose="application", language="fa")

    assert result.ok
    [call] = api.calls_to("verify/lookup")
    assert call.params == {"receptor": MOBILE, "token": "482913", "template": "hamafza-application"}


def test_an_english_code_falls_back_to_the_persian_template_when_it_has_none(api):
    gateway = client(api, templates="application=hamafza-application,en:signin=hamafza-signin-en")

    assert gateway.template_for("application", "en") == "hamafza-application"
    assert gateway.template_for("signin", "en") == "hamafza-signin-en"
    assert gateway.template_for("signin", "fa") == ""


def test_templates_setting_refuses_an_unknown_purpose():
    with pytest.raises(ValueError, match="unknown purpose"):
        parse_templates("login=hamafza-login")
    assert parse_templates("application=a, ur:application=b") == {
        ("fa", "application"): "a",
        ("ur", "application"): "b",
    }


@pytest.mark.parametrize(
    ("setup", "message", "outcome", "status"),
    [
        # failed for that message
        ({}, SmsMessage(to="0912", text="سلام"), SmsOutcome.FAILED, 411),
        ({}, SmsMessage(to=MOBILE, text="سلام\x01"), SmsOutcome.FAILED, 422),
        ({}, SmsMessage(to=MOBILE, text=""), SmsOutcome.FAILED, 413),
        # the account: an alert for the operators (a sender line not on the account
        # refuses every message, so it is the deployment's fault, not the message's)
        ({"senders": {"10004346"}}, None, SmsOutcome.CREDENTIALS, 412),
        ({"api_keys": {"another-key-entirely"}}, None, SmsOutcome.CREDENTIALS, 403),
        ({"credit": 0}, None, SmsOutcome.NO_CREDIT, 418),
    ],
)
def test_each_refusal_is_classified(setup, message, outcome, status):
    with FakeKavenegar(**({"api_keys": {KEY}} | setup)) as api:
        gateway = client(api, sender="3000123" if "senders" in setup else "")
        result = gateway.send(message or SmsMessage(to=MOBILE, text="سلام"))

    assert (result.outcome, result.status) == (outcome, status)
    assert api.sent == []
    assert KEY not in result.error


@pytest.mark.parametrize("status", ["409", "451"])
def test_busy_and_rate_answers_mean_try_later(api, status):
    api.fail_next(status)

    result = client(api).send(SmsMessage(to=MOBILE, text="سلام"))

    assert (result.outcome, result.status) == (SmsOutcome.RETRY, int(status))
    assert api.sent == []


def test_the_gateways_own_rate_limit_answers_451():
    with FakeKavenegar(api_keys={KEY}, enforce_limits=True, per_key_per_second=2) as api:
        gateway = client(api)
        outcomes = [gateway.send(SmsMessage(to=MOBILE, text="سلام")).outcome for _ in range(3)]

    assert outcomes == [SmsOutcome.SENT, SmsOutcome.SENT, SmsOutcome.RETRY]
    assert len(api.sent) == 2


def test_an_unknown_template_or_a_malformed_token(api):
    gateway = client(api, templates="application=not-approved")
    refused = gateway.send_otp(to=MOBILE, code="1", purpose="application", language="fa")
    assert (refused.outcome, refused.status) == (SmsOutcome.TEMPLATE, 424)
    assert (
        client(api).send_otp(to=MOBILE, code="12 34", purpose="application", language="fa").outcome
        == SmsOutcome.FAILED
    )
    missing = client(api).send_otp(to=MOBILE, code="1", purpose="reset", language="fa")
    assert missing.outcome == SmsOutcome.TEMPLATE  # no template: nothing to ask for
    assert len(api.calls_to("verify/lookup")) == 2
    assert api.sent == []


def test_no_answer_is_unconfirmed_and_no_connection_is_retry(api):
    api.hang(seconds=1.5)
    hung = client(api, read_timeout=0.3).send(SmsMessage(to=MOBILE, text="سلام"))
    assert hung.outcome == SmsOutcome.UNCONFIRMED
    assert len(api.sent) == 1  # it did go: sending again would send it twice

    refused = KavenegarBackend(api_key=KEY, base_url=refused_url(), templates="")
    assert refused.send(SmsMessage(to=MOBILE, text="سلام")).outcome == SmsOutcome.RETRY
    with unanswered_connect() as url:
        slow = KavenegarBackend(api_key=KEY, base_url=url, templates="", connect_timeout=0.2)
        assert slow.send(SmsMessage(to=MOBILE, text="سلام")).outcome == SmsOutcome.RETRY
    assert KEY not in hung.error


def test_a_proxy_page_instead_of_kavenegars_answer_is_unconfirmed(api):
    api.fail_next("502")

    result = client(api).send(SmsMessage(to=MOBILE, text="سلام"))

    assert result.outcome == SmsOutcome.UNCONFIRMED and result.status == 502


def test_the_key_is_in_no_repr_and_is_scrubbed_from_any_log_record(api):
    gateway = client(api)
    assert KEY not in repr(gateway)
    url = f"{api.base_url}/v1/{KEY}/sms/send.json"
    assert KEY not in redact(f"POST {url} failed")
    assert redact("GET /v1/another-key/sms/send.json") == "GET /v1/***/sms/send.json"

    record = logging.LogRecord("urllib3", logging.DEBUG, __file__, 1, "%s", (url,), None)
    try:
        raise RuntimeError(f"boom at {url}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert KEY not in record.getMessage() and KEY not in record.exc_text
