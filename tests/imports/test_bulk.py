"""Import at scale: a constant number of queries, the services' rules row by row, bulk writes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Role
from compliance import tracking
from compliance.models import ComplianceItem, OperatorCompliance
from core import pii
from imports import services as import_services
from imports.models import ImportRun, ImportStatus
from miniprograms import services as register_services
from miniprograms.models import Domain, MiniProgram, Operator, ResponsiblePerson
from tests.factories import MiniProgramFactory, valid_ric, valid_uscc

from .helpers import portfolio_sheets, xlsx

pytestmark = pytest.mark.django_db

MODELS = (Operator, MiniProgram, Domain, ResponsiblePerson)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in MODELS)


def _preview(user, org, content: bytes):
    return import_services.import_run_create(
        user=user, content=content, filename="p.xlsx", organization_id=org.pk
    )


def _errors(run) -> list[tuple]:
    return [(e["sheet"], e["row"], e["field"], e["reason"]) for e in run.errors]


# -- queries -----------------------------------------------------------------------------------


def test_preview_and_commit_take_as_many_queries_for_500_rows_as_for_50(manager, org, settings):
    # given: files of 10 and 100 operators (50 and 500 rows), validated as the worker does
    queries: dict[int, tuple[int, int]] = {}
    for operators, start in ((10, 1000), (100, 2000)):
        content = xlsx(portfolio_sheets(operators, start=start))

        # when (each run looks its content types up afresh, as the first run of a process does)
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as preview:
            run = _preview(manager, org, content)
        with CaptureQueriesContext(connection) as commit:
            run = import_services.import_run_commit_request(user=manager, run=run)

        # then
        assert run.status == ImportStatus.COMMITTED, run.errors[:3]
        queries[operators * 5] = (_work(preview), _work(commit))

    assert _counts() == (110, 110, 110, 220)
    (small_preview, small_commit), (big_preview, big_commit) = queries[50], queries[500]
    # The same statements whatever the rows; the first run also loads the user's membership.
    assert small_preview - 1 <= big_preview <= small_preview, queries
    assert small_commit - 1 <= big_commit <= small_commit, queries
    assert max(queries[500]) < 500 * 0.1


def _work(captured: CaptureQueriesContext) -> int:
    """Statements other than the progress bar's (one per 5 %, whatever the rows)."""
    return sum('SET "progress"' not in q["sql"] for q in captured.captured_queries)


# -- bad rows ----------------------------------------------------------------------------------


def test_every_bad_row_is_reported_in_row_order_and_nothing_is_written(manager, org):
    # given: 20 operators and their services; bad cells in every sheet
    sheets = portfolio_sheets(20, start=300)
    ops, mps, doms, people = sheets.values()
    ops[3][4] = "火星"  # row 4: unknown province (its services and people are then skipped)
    mps[5][6] = "粤ICP备123号-1X"  # row 6: malformed filing number
    doms[8][1] = "not a domain"  # row 9
    people[11][4] = "123"  # row 12: mobile
    people[14][3] = people[14][3][:-1] + ("0" if people[14][3][-1] != "0" else "1")  # checksum
    people[19] = list(people[18])  # row 20 repeats row 19
    before = _counts()

    # when
    run = _preview(manager, org, xlsx(sheets))

    # then
    assert run.status == ImportStatus.INVALID
    assert [(s, r, f) for s, r, f, _reason in _errors(run)] == [
        ("主办单位", 4, "province"),
        ("Mini-programs and apps", 6, "icp_number"),
        ("domains", 9, "name"),
        ("负责人", 12, "mobile"),
        ("负责人", 15, "id_number"),
        ("负责人", 20, ""),
    ]
    assert _errors(run)[-1][3] == "Duplicate of row 19 in this sheet."
    assert "110105" not in str(run.errors) or "********" in str(run.errors)  # ID numbers masked
    assert _counts() == before
    assert run.summary["operators"] == {"create": 19, "update": 0, "unchanged": 0}


def test_a_clash_only_the_database_sees_is_reported_with_the_services_message(
    manager, org, other_operator
):
    # given: a mini-program whose copied organization says `org` while its operator is in
    # another one: the importer does not see it, the unique constraint does
    hidden = MiniProgramFactory(operator=other_operator, appid="wx00000000000000aa")
    MiniProgram.objects.filter(pk=hidden.pk).update(organization=org)
    mine = register_services.operator_create(
        user=manager, organization_id=org.pk, province="440000", name_zh="甲", uscc=valid_uscc(1)
    )
    sheets = {
        "miniprograms": [
            ["operator", "name", "platform", "appid"],
            [mine.uscc, "好的", "wechat", "wx00000000000000bb"],
            [mine.uscc, "撞车", "wechat", "wx00000000000000aa"],
            [mine.uscc, "也好", "wechat", "wx00000000000000cc"],
        ]
    }
    with transaction.atomic():  # what the form service says of the same row
        try:
            register_services.miniprogram_create(
                user=manager, operator=mine, name="撞车", platform="wechat", appid=hidden.appid
            )
        except ValidationError as e:
            expected = [m for ms in e.message_dict.values() for m in ms]
        transaction.set_rollback(True)

    # when
    run = _preview(manager, org, xlsx(sheets))

    # then: that row only, with that message; the good rows were written, then rolled back
    assert expected
    assert [(r, reason) for _s, r, _f, reason in _errors(run)] == [(3, m) for m in expected]
    assert run.summary["miniprograms"] == {"create": 2, "update": 0, "unchanged": 0}
    assert MiniProgram.objects.filter(operator=mine).count() == 0


# -- the same rules as the services ------------------------------------------------------------

LONG = "长" * 201
OPERATOR_CASES = {
    "ok_case": {"name_zh": "乙公司", "uscc": valid_uscc(7), "entity_number": "粤ICP备2024286477号"},
    "bad_uscc_case": {"name_zh": "丙公司", "uscc": "91440300MA5F000000"},
    "individual_with_uscc_case": {"name_zh": "张三", "entity_type": "5", "uscc": valid_uscc(8)},
    "no_uscc_case": {"name_zh": "丁公司"},
    "other_province_number_case": {
        "name_zh": "戊公司",
        "uscc": valid_uscc(9),
        "entity_number": "京ICP备2024286477号",
    },
    "too_long_case": {"name_zh": LONG, "uscc": valid_uscc(10)},
}


def _service_errors(call: Callable[[], Any]) -> tuple[list[tuple[str, str]], Any]:
    """(field, message) the service raises, and what it wrote, in a rolled-back savepoint."""
    with transaction.atomic():
        try:
            obj = call()
        except ValidationError as e:
            errors = [
                ("" if k == "__all__" else k, pii.mask_text(m))
                for k, ms in e.message_dict.items()
                for m in ms
            ]
            return errors, None
        finally:
            transaction.set_rollback(True)
    return [], obj


def _import_errors(user, org, sheet: str, cells: dict) -> tuple[list[tuple[str, str]], ImportRun]:
    run = _preview(user, org, xlsx({sheet: [list(cells), list(cells.values())]}))
    return [(f, reason) for _s, _r, f, reason in _errors(run)], run


def _fields(obj, *names: str) -> dict:
    return {n: getattr(obj, n) for n in names}


@pytest.mark.parametrize("values", OPERATOR_CASES.values(), ids=OPERATOR_CASES.keys())
def test_operator_rows_get_the_services_errors_and_values(manager, org, values):
    expected, built = _service_errors(
        lambda: register_services.operator_create(
            user=manager, organization_id=org.pk, province="440000", **values
        )
    )

    errors, run = _import_errors(manager, org, "operators", {**values, "province": "广东"})

    assert errors == expected
    if not expected:  # committed, the row holds what the service would have stored
        import_services.import_run_commit_request(user=manager, run=run)
        names = ("name_zh", "entity_type", "uscc", "province_id", "entity_number")
        assert _fields(Operator.objects.get(), *names) == _fields(built, *names)


def _operator(user, org) -> Operator:
    return register_services.operator_create(
        user=user, organization_id=org.pk, province="440000", name_zh="己公司", uscc=valid_uscc(3)
    )


SERVICE_CASES = {
    "mp_ok_case": (
        "miniprograms",
        {
            "name": "小程序",
            "platform": "wechat",
            "appid": "wx1234567890abcdef",
            "icp_number": "粤ICP备2024286477号-2X",
        },
    ),
    "mp_bad_appid_case": ("miniprograms", {"name": "小程序", "platform": "wechat", "appid": "abc"}),
    "mp_bad_number_case": (
        "miniprograms",
        {
            "name": "小程序",
            "platform": "alipay",
            "appid": "2021001234567890",
            "icp_number": "粤ICP备123号",
        },
    ),
    "mp_long_name_case": ("miniprograms", {"name": LONG, "platform": "qq", "appid": "1112345678"}),
    "domain_ok_case": (
        "domains",
        {"name": "Example.CN", "registrar": "阿里云", "icp_number": "粤ICP备2024286477号-1"},
    ),
    "domain_bad_name_case": ("domains", {"name": "not a domain"}),
    "domain_long_registrar_case": ("domains", {"name": "ok.cn", "registrar": LONG}),
    "person_ok_case": (
        "persons",
        {
            "role": "entity",
            "name": "张三",
            "id_number": valid_ric(5),
            "mobile": "13912345678",
            "email": "a@example.cn",
        },
    ),
    "person_bad_id_case": (
        "persons",
        {
            "role": "entity",
            "name": "张三",
            "id_number": "110105198503150000",
            "mobile": "13912345678",
        },
    ),
    "person_bad_mobile_and_email_case": (
        "persons",
        {
            "role": "entity",
            "name": "张三",
            "id_number": valid_ric(6),
            "mobile": "1391234",
            "email": "nope",
        },
    ),
    "person_service_without_service_case": (
        "persons",
        {"role": "service", "name": "李四", "id_number": valid_ric(7), "mobile": "13812345678"},
    ),
    "person_short_passport_case": (
        "persons",
        {
            "role": "entity",
            "name": "Jo",
            "id_type": "passport",
            "id_number": "E12",
            "mobile": "13812345678",
        },
    ),
}
# What the import reports beyond the service's refusals (every problem of a row at once).
EXTRA: dict[str, list[tuple[str, str]]] = {
    "persons" + str(sorted(SERVICE_CASES["person_bad_mobile_and_email_case"][1].items())): [
        ("email", "Enter a valid email address.")
    ],
}
CREATE: dict[str, Callable[..., Any]] = {
    "miniprograms": register_services.miniprogram_create,
    "domains": register_services.domain_create,
    "persons": register_services.person_create,
}
COMPARED: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "miniprograms": (MiniProgram, ("name", "platform", "appid", "icp_number", "organization_id")),
    "domains": (Domain, ("name", "tld_id", "registrar", "icp_number", "organization_id")),
    "persons": (
        ResponsiblePerson,
        ("role", "name", "id_type", "id_number_hash", "mobile", "email", "organization_id"),
    ),
}


@pytest.mark.parametrize(("sheet", "values"), SERVICE_CASES.values(), ids=SERVICE_CASES.keys())
def test_service_and_person_rows_get_the_services_errors_and_values(manager, org, sheet, values):
    op = _operator(manager, org)
    expected, built = _service_errors(lambda: CREATE[sheet](user=manager, operator=op, **values))

    errors, run = _import_errors(manager, org, sheet, {"operator": op.uscc, **values})

    # The service's refusals first, in its order; the import also lists what full_clean
    # finds in the row's other fields (the service stops at its own checks).
    assert errors[: len(expected)] == expected
    assert errors[len(expected) :] == EXTRA.get(sheet + str(sorted(values.items())), [])
    if not expected:
        import_services.import_run_commit_request(user=manager, run=run)
        model, names = COMPARED[sheet]
        stored = model.objects.get()
        assert _fields(stored, *names) == _fields(built, *names)
        if model is ResponsiblePerson:  # encrypted, and decrypts to the same number
            assert stored.reveal_id_number() == built.reveal_id_number() == values["id_number"]


# -- what the saves did ------------------------------------------------------------------------


def test_commit_refreshes_the_compliance_of_the_operators_it_wrote(manager, org, monkeypatch):
    calls: list[set[int]] = []
    monkeypatch.setattr(import_services, "_refresh_compliance", calls.append)
    run = _preview(manager, org, xlsx(portfolio_sheets(3)))
    assert calls == []  # a preview keeps nothing, so changes nothing

    import_services.import_run_commit_request(user=manager, run=run)

    assert calls == [set(Operator.objects.values_list("pk", flat=True))]
    assert len(calls[0]) == 3


def test_bulk_rows_copy_their_operators_organization_and_timestamps(manager, org):
    before = datetime.datetime.now(tz=datetime.UTC)
    run = _preview(manager, org, xlsx(portfolio_sheets(2)))
    import_services.import_run_commit_request(user=manager, run=run)

    derived: tuple[type[Any], ...] = (MiniProgram, Domain, ResponsiblePerson)
    for model in derived:
        rows = list(model.objects.select_related("operator"))
        assert rows
        assert all(r.organization_id == r.operator.organization_id == org.pk for r in rows)
        assert all(r.created_at >= before and r.updated_at >= before for r in rows)


def test_a_role_lost_between_preview_and_commit_refuses_every_row_and_writes_nothing(manager, org):
    # given: a previewed file, then the uploader becomes a viewer
    run = _preview(manager, org, xlsx(portfolio_sheets(3)))
    assert run.status == ImportStatus.VALID
    Membership.objects.filter(user=manager, organization=org).update(role=Role.VIEWER)

    # when
    run = import_services.import_run_commit_request(user=manager, run=run)

    # then: the services' own refusal on each operator row (their dependants are skipped)
    assert run.status == ImportStatus.INVALID
    assert [(s, r, f) for s, r, f, _reason in _errors(run)] == [
        ("主办单位", 2, ""),
        ("主办单位", 3, ""),
        ("主办单位", 4, ""),
    ]
    assert {reason for *_rest, reason in _errors(run)} == {
        "Only managers and editors of the organization can add operators. Your role in this "
        "organization is read-only: ask one of its managers for the editor role."
    }
    assert _counts() == (0, 0, 0, 0)


def test_a_committed_import_has_its_compliance_rows(manager, org):
    """Bulk writes send no model signals: the commit marks the operators it wrote, and the
    next read of the rows evaluates them."""
    run = _preview(manager, org, xlsx(portfolio_sheets(3)))
    run = import_services.import_run_commit_request(user=manager, run=run)
    assert run.status == ImportStatus.COMMITTED
    tracking.flush()
    imported = set(Operator.objects.filter(organization=org).values_list("pk", flat=True))
    assert len(imported) == 3
    summarized = set(
        OperatorCompliance.objects.filter(operator__in=imported).values_list("operator", flat=True)
    )
    assert summarized == imported
    assert ComplianceItem.objects.filter(operator__in=imported, rule="domain_expiry").count() >= 3


# -- pinyin name keys --------------------------------------------------------------------------


def test_imported_operators_carry_their_pinyin_keys_on_create_and_update(manager, org, settings):
    # given: two operators imported with bulk_create
    sheets = portfolio_sheets(2, start=3100)
    run = import_services.import_run_commit_request(
        user=manager, run=_preview(manager, org, xlsx(sheets))
    )
    assert run.status == ImportStatus.COMMITTED, run.errors[:3]
    op = Operator.objects.get(uscc=valid_uscc(3100))
    assert (op.name_sort, op.name_initials) == ("daoruceshi3100youxiangongsi", "drcs3100yxgs")

    # when: the same file renames one of them (bulk_update)
    sheets["主办单位"][1][0] = "北京导入有限公司"
    run = import_services.import_run_commit_request(
        user=manager, run=_preview(manager, org, xlsx(sheets))
    )

    # then: its keys follow the new name, the other's are unchanged
    assert run.status == ImportStatus.COMMITTED, run.errors[:3]
    op.refresh_from_db()
    assert op.name_zh == "北京导入有限公司"
    assert (op.name_sort, op.name_initials) == ("beijingdaoruyouxiangongsi", "bjdryxgs")
    other = Operator.objects.get(uscc=valid_uscc(3101))
    assert other.name_sort == "daoruceshi3101youxiangongsi"
