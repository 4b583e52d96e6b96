"""Every audit action the code writes has a Persian label, and the audit page reads in Persian."""

import ast
import re
from datetime import datetime
from pathlib import Path

import pytest

import hamafza
from hamafza.core.audit import action_label, action_labels
from hamafza.core.models import AuditEntry
from hamafza.persian.dates import TEHRAN

SOURCE = Path(hamafza.__file__).parent
ACTION = r"^[a-z_]+(\.[a-z_]+)+$"


def _module_constants(tree: ast.Module) -> dict[str, list[str]]:
    """Strings in each module-level assignment (e.g. a dict of decisions to actions)."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            strings = [
                n.value
                for n in ast.walk(node.value)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = strings
    return found


def _written_actions() -> dict[str, str]:
    """Every action code passed to audit() anywhere in hamafza/, with where it is written.
    An action built at run time (an f-string) fails here: the codes must be written out."""
    actions: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "audit"):
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{call.lineno}"
            value = next((k.value for k in call.keywords if k.arg == "action"), None)
            assert value is not None, f"{where}: audit() without action="
            assert not isinstance(value, ast.JoinedStr), (
                f"{where}: write the action codes out (a dict or literals), not an f-string"
            )
            if isinstance(value, ast.Constant):
                codes = [value.value]
            elif isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
                codes = constants.get(value.value.id, [])
            else:
                function = max(
                    (f for f in functions if f.lineno <= call.lineno <= (f.end_lineno or 0)),
                    key=lambda f: f.lineno,
                )
                parameters = {a.arg for a in function.args.args + function.args.kwonlyargs}
                if isinstance(value, ast.Name) and value.id in parameters:
                    # passed in: the literals its callers in this module give it
                    codes = [
                        k.value.value
                        for c in ast.walk(tree)
                        if isinstance(c, ast.Call) and getattr(c.func, "id", None) == function.name
                        for k in c.keywords
                        if k.arg == value.id and isinstance(k.value, ast.Constant)
                    ]
                    assert codes, f"{where}: callers of {function.name}() pass no literal action"
                    for code in codes:
                        actions.setdefault(code, where)
                    continue
                # a local chosen from literals in the same function
                codes = [
                    n.value
                    for n in ast.walk(function)
                    if isinstance(n, ast.Constant)
                    and isinstance(n.value, str)
                    and re.match(ACTION, n.value)
                    and n.value.count(".") >= 2
                ]
            assert codes, f"{where}: cannot tell which actions this audit() writes"
            for code in codes:
                if re.match(ACTION, code):
                    actions.setdefault(code, where)
    return actions


@pytest.mark.slow
def test_the_code_writes_actions_this_test_can_see():
    actions = _written_actions()
    assert "publishing.post.approved" in actions
    assert "network.person.deactivated" in actions  # chosen from two literals
    assert "mawkib.application.rejected" in actions  # from a dict of decisions
    assert any(code.startswith("mawkib.export.") for code in actions)


@pytest.mark.slow
def test_every_action_written_has_a_persian_label():
    missing = {code: where for code, where in _written_actions().items() if not action_label(code)}
    assert not missing, f"actions without a Persian label: {missing}"


def test_labels_are_persian():
    for code, label in action_labels().items():
        assert any("\u0600" <= c <= "\u06ff" for c in str(label)), code


# --- the audit page reads in Persian ----------------------------------------------------


@pytest.fixture
def approved_post_entry(admin_user, owner):
    from hamafza.core.audit import audit

    made = audit(actor=owner, action="publishing.post.approved")
    # 17 Mordad 1405 = 8 August 2026
    AuditEntry.objects.filter(pk=made.pk).update(
        created_at=datetime(2026, 8, 8, 10, 5, tzinfo=TEHRAN)
    )
    audit(actor=owner, action="mawkib.export.volunteers")
    return made


def test_the_audit_page_names_actions_in_persian_with_jalali_dates(
    login, admin_user, approved_post_entry
):
    page = login(admin_user).get("/audit/").content.decode()
    rows = page.split("<tbody>", 1)[1]

    assert "تأیید مطلب برای انتشار" in rows
    assert "دریافت گزارش ساعت خدمت خادمان" in rows
    assert "۱۷ مرداد ۱۴۰۵" in rows
    shown = re.sub(r'datetime="[^"]*"', "", rows)  # what a reader sees, not the machine's
    assert "2026" not in shown and "August" not in shown


def test_the_action_filter_is_a_persian_dropdown(login, admin_user, approved_post_entry):
    client = login(admin_user)
    page = client.get("/audit/").content.decode()
    select = page.split('name="action"', 1)[1].split("</select>", 1)[0]

    assert "<option" in select  # a list to choose from, not a box to type a code into
    assert ">همه کنش‌ها<" in select
    assert '<optgroup label="انتشار">' in select
    assert '<option value="publishing.post.approved">تأیید مطلب برای انتشار</option>' in select
    # in Persian order within the group: «افزودن عکس» before «تأیید مطلب»
    publishing = select.split('<optgroup label="انتشار">', 1)[1].split("</optgroup>", 1)[0]
    assert publishing.index("افزودن عکس") < publishing.index("تأیید مطلب")

    chosen = client.get("/audit/", {"action": "publishing.post.approved"}).content.decode()
    rows = chosen.split("<tbody>", 1)[1]
    assert "تأیید مطلب برای انتشار" in rows and "دریافت گزارش" not in rows
    assert client.get("/audit/", {"action": "typed.by.hand"}).status_code == 200
    assert (
        "دریافت گزارش"
        not in (
            client.get("/audit/", {"action": "typed.by.hand"}).content.decode().split("<tbody>")[1]
        )
    )
