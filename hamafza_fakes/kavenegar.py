"""A local Kavenegar: `/v1/<api-key>/<group>/<method>.json`, answering as Kavenegar's
documentation and its own clients show it does.

Every answer is the envelope `{"return": {"status": N, "message": "…"}, "entries": …}`
with the HTTP status equal to N. It refuses what Kavenegar refuses: a key it does not know
(403), a receptor that is no Iranian mobile (411), a sender line the account does not have
(412), an empty or over-long text (413), more than 200 receptors (414), control characters
(422), an unknown template (424), a token with a space, newline or underscore (431), and,
once its credit runs out, everything (418). With `enforce_limits`, more than
`per_key_per_second` calls in a rolling second are answered 451 (Kavenegar's "too many
calls in a short time"; no Retry-After, as none is documented). Scripted failures take a
status code: `api.fail_next("409")`, `api.fail_next("418")`, `api.fail_next("502")` (a
proxy's HTML page), `api.hang(2)`.

    with FakeKavenegar(api_keys={"k" * 20}, templates={"hamafza-application"}) as api:
        ...  # KAVENEGAR_BASE_URL=api.base_url
        assert api.sent[0]["receptor"] == "09121234567"

Run it for a demo (`scripts/fake-sms`): `python -m hamafza_fakes kavenegar --port 8700`.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import time
from collections.abc import Callable
from typing import Any

from .base import Answer, Call, FakePlatform, RollingLimit

MESSAGES = {
    200: "تایید شد",
    400: "پارامترها ناقص هستند",
    403: "کد شناسائی API-Key معتبر نمی‌باشد",
    404: "متدی با این نام پیدا نشده است",
    406: "پارامترهای اجباری خالی ارسال شده اند",
    409: "سرور قادر به پاسخگوئی نیست بعدا تلاش کنید",
    411: "دریافت کننده نامعتبر است",
    412: "ارسال کننده نامعتبر است",
    413: "پیام خالی است و یا طول پیام بیش از حد مجاز می‌باشد",
    414: "حجم درخواست بیشتر از حد مجاز است",
    418: "اعتبار حساب شما کافی نیست",
    422: "داده ها به دلیل وجود کاراکتر نامناسب قابل پردازش نیست",
    424: "الگوی مورد نظر پیدا نشد",
    431: "ساختار کد صحیح نمی‌باشد",
    451: "فراخوانی بیش از حد در بازه زمانی مشخص",
}
MOBILE = re.compile(r"^(?:0|98|\+98|0098)?9\d{9}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TEXT_LIMIT = 900
MAX_RECEPTORS = 200
PART_COST = 120  # rials per SMS part, per receptor


class FakeKavenegar(FakePlatform):
    name = "kavenegar"
    chat_param = "receptor"
    rate_limited_kind = "451"
    PER_CHAT_PER_MINUTE = 0  # none: only the per-key rate (per_key_per_second) applies

    def __init__(
        self,
        *,
        api_keys: set[str] | None = None,
        senders: set[str] | None = None,
        templates: set[str] | None = None,
        credit: int | None = None,
        per_key_per_second: int = 50,
        enforce_limits: bool = False,
        on_message: Callable[[dict], None] | None = None,
    ):
        super().__init__(enforce_limits=enforce_limits, valid_tokens=api_keys)
        self.per_bot = RollingLimit(per_key_per_second, 1.0)  # per key; no per-chat limit
        self.senders = senders  # None: any line
        self.templates = templates  # None: any template
        self.credit = credit  # rials; None: unlimited
        self.on_message = on_message
        self.sent: list[dict[str, Any]] = []  # what reached a phone, in order
        self._ids = itertools.count(8_792_343)

    # -- routing ------------------------------------------------------------------------
    def route(self, path: str) -> tuple[str, str] | None:
        parts = path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "v1" or not parts[3].endswith(".json"):
            return None
        return parts[1], f"{parts[2]}/{parts[3].removesuffix('.json')}"

    def counted(self, call: Call) -> int:
        return 1  # every call counts against the per-key rate

    def envelope(self, status: int, entries: Any = None) -> Answer:
        message = MESSAGES.get(status, "خطا")
        return Answer(
            status, {"return": {"status": status, "message": message}, "entries": entries}
        )

    def error(self, kind: str, retry_after: int, description: str) -> Answer:
        if kind == "bad_token":
            return self.envelope(403)
        if kind in ("502", "504"):  # a proxy in front of the API: HTML, not Kavenegar's JSON
            return Answer(int(kind), "<html><body><h1>Bad Gateway</h1></body></html>")
        return self.envelope(int(kind) if kind.isdigit() else 500)

    def dispatch(self, call: Call) -> Answer:
        handler = getattr(self, "m_" + call.method.replace("/", "_"), None)
        if handler is None:
            return self.envelope(404)
        return handler(call.params)

    # -- methods -------------------------------------------------------------------------
    def m_sms_send(self, params: dict) -> Answer:
        receptors = [r.strip() for r in str(params.get("receptor", "")).split(",") if r.strip()]
        text = str(params.get("message", ""))
        sender = str(params.get("sender", ""))
        if not receptors:
            return self.envelope(406)
        if len(receptors) > MAX_RECEPTORS:
            return self.envelope(414)
        if not all(MOBILE.match(r) for r in receptors):
            return self.envelope(411)
        if sender and self.senders is not None and sender not in self.senders:
            return self.envelope(412)
        if not text.strip() or len(text) > TEXT_LIMIT:
            return self.envelope(413)
        if CONTROL.search(text):
            return self.envelope(422)
        if not self._charge(_parts(text) * len(receptors)):
            return self.envelope(418)
        entries = [
            self._deliver(
                receptor=r,
                sender=sender or "10004346",
                message=text,
                localid=str(params.get("localid", "")),
                parts=_parts(text),
            )
            for r in receptors
        ]
        return self.envelope(200, entries)

    def m_verify_lookup(self, params: dict) -> Answer:
        receptor = str(params.get("receptor", "")).strip()
        token = str(params.get("token", ""))
        template = str(params.get("template", ""))
        if not receptor or not token or not template:
            return self.envelope(406)
        if not MOBILE.match(receptor):
            return self.envelope(411)
        if self.templates is not None and template not in self.templates:
            return self.envelope(424)
        if re.search(r"[\s_]", token) or len(token) > 100:
            return self.envelope(431)
        if not self._charge(1):
            return self.envelope(418)
        entry = self._deliver(
            receptor=receptor, sender="10008663", template=template, token=token, parts=1
        )
        return self.envelope(200, [entry])

    def m_account_info(self, params: dict) -> Answer:
        remaining = self.credit if self.credit is not None else 10**9
        return self.envelope(200, {"remaincredit": remaining, "expiredate": 0, "type": "Master"})

    # -- book-keeping --------------------------------------------------------------------
    def _charge(self, parts: int) -> bool:
        with self.lock:
            if self.credit is None:
                return True
            cost = parts * PART_COST
            if self.credit < cost:
                return False
            self.credit -= cost
            return True

    def _deliver(self, *, parts: int, **fields) -> dict:
        with self.lock:
            record = {"messageid": next(self._ids), "date": int(time.time()), **fields}
            self.sent.append(record)
        if self.on_message is not None:
            self.on_message(record)
        entry = {
            k: v
            for k, v in record.items()
            if k in ("messageid", "message", "sender", "receptor", "date")
        }
        return entry | {"status": 1, "statustext": "در صف ارسال", "cost": parts * PART_COST}


def _parts(text: str) -> int:
    """SMS parts of a text: 70 characters in one part, 67 per part beyond (UCS-2, as for
    Persian), or 160 / 153 for plain ASCII."""
    single, multi = (160, 153) if text.isascii() else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / multi)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m hamafza_fakes kavenegar", description="A local Kavenegar for demos"
    )
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--key", default="demo-kavenegar-key")
    parser.add_argument("--credit", type=int, default=None, help="rials; unlimited if unset")
    args = parser.parse_args(argv)

    def show(record: dict) -> None:
        body = record.get("message") or f"[{record['template']}] {record['token']}"
        print(f"SMS #{record['messageid']} to {record['receptor']}: {body}", flush=True)

    fake = FakeKavenegar(api_keys={args.key}, credit=args.credit, on_message=show)
    fake.start(port=args.port)
    print(f"fake Kavenegar on {fake.base_url} (key {args.key}); Ctrl-C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
