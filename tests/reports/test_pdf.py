"""PDF reports: content, CJK glyphs, masking, tenancy, background runs, the fetcher."""

from __future__ import annotations

import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from accounts.models import User
from documents.models import Document
from miniprograms.models import MiniProgram, Operator, ResponsiblePerson
from reports import services
from reports.models import ReportRun, RunStatus
from reports.pdf import BASE_URL, LocalOnlyFetcher, RefusedURL, html_to_pdf
from reports.tasks import render_report_task

pytestmark = pytest.mark.django_db

AGENCY_NAMES = [
    "深圳市鹏程网络科技有限公司",
    "杭州西湖数据有限公司",
    "北京长城教育咨询有限公司",
    "成都天府文旅发展有限公司",
    "上海浦江物流有限公司",
    "武汉江城医药连锁有限公司",
]
AGENCY_NUMBERS = ["粤ICP备2024286477号-2X", "蜀ICP备2023012345号-1", "粤ICP备2024286477号-1"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet")
    return User.objects.get(username="agency_manager")


def _text(pdf: bytes) -> str:
    """Extracted text without whitespace: table cells wrap long names and numbers."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def _run(args: list[str], data: bytes | None = None) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout  # noqa: S603


def _portfolio(user, language="zh-hans") -> bytes:
    return services.report_render(
        user=user, kind="portfolio", params={"as_of": "2026-01-15"}, language=language
    )


def test_demo_portfolio_pdf_holds_chinese_names_and_filing_numbers(demo):
    # when
    pdf = _portfolio(demo)

    # then
    assert pdf[:5] == b"%PDF-"
    text = _text(pdf)
    for name in AGENCY_NAMES:
        assert name in text
    for number in AGENCY_NUMBERS:
        assert number in text
    # The in-house group (another organization of the same manager) is in scope too, but the
    # rival agency's client never is.
    assert "广州白云餐饮管理有限公司" not in text


def test_cjk_font_is_embedded_and_text_round_trips_through_poppler(demo, tmp_path):
    pdf = _portfolio(demo)
    path = tmp_path / "portfolio.pdf"
    path.write_bytes(pdf)

    fonts = _run(["pdffonts", str(path)]).decode()
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded (emb column)

    text = _run(["pdftotext", str(path), "-"]).decode()
    assert "深圳市鹏程网络科技有限公司" in "".join(text.split())
    assert "\ufffd" not in text  # no undecodable glyphs

    png = _run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path)])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_known_cjk_string_renders_with_real_glyphs_not_notdef_boxes(tmp_path):
    """A page with a CJK string must rasterise differently from the same page with boxes.

    `.notdef` boxes all look alike, so two different strings would render identically if
    the glyphs were missing.
    """

    def png_of(text: str) -> bytes:
        html = (
            '<html lang="zh-Hans"><body style="font-family: \'Noto Sans CJK SC\', '
            f"'WenQuanYi Micro Hei', sans-serif; font-size: 40pt\">{text}</body></html>"
        )
        pdf_path = tmp_path / "probe.pdf"
        pdf_path.write_bytes(html_to_pdf(html))
        return _run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf_path)])

    assert png_of("鹏程网络") != png_of("西湖数据")


def test_dossier_masks_personal_data(demo):
    operator = Operator.objects.get(name_zh=AGENCY_NAMES[0])
    person = ResponsiblePerson.objects.get(operator=operator)
    full_id = person.reveal_id_number()

    pdf = services.report_render(
        user=demo, kind="dossier", params={"as_of": "2026-01-15", "operator_id": operator.pk}
    )

    text = _text(pdf)
    assert operator.name_zh in text
    assert full_id not in text
    assert person.id_number_masked in text
    assert person.mobile not in text
    assert "粤ICP备2024286477号-2X" in text  # the approved mini-program's number
    assert "名称含“中国”字样" not in text  # another operator's rejection reason


def test_inspection_lists_unfiled_mismatched_holder_and_expired(demo):
    shop = MiniProgram.objects.get(name="鹏程商城")
    MiniProgram.objects.filter(pk=shop.pk).update(icp_number="京ICP备2024286477号-2X")

    pdf = services.report_render(
        user=demo, kind="inspection", params={"as_of": "2026-12-31"}, language="en"
    )

    text = _text(pdf)
    assert "Serviceswithoutafilingnumber" in text
    assert "长城课堂" in text  # live mini-program with no number
    assert "京ICP备2024286477号-2X" in text  # number of another province
    assert "浦江货运代理有限公司" in text  # registrant differs from the operator
    assert "Expireddomains" in text


def test_report_in_chinese_uses_chinese_labels(demo):
    text = _text(_portfolio(demo, language="zh-hans"))
    assert "合计" in text  # "Totals"
    assert "客户与服务" in text  # "Clients and services"
    assert "已备案" in text  # FilingStatus.APPROVED from the project catalogue


def test_other_organizations_operator_dossier_is_404(demo, api):
    rival = User.objects.get(username="rival_manager")
    operator = Operator.objects.get(name_zh=AGENCY_NAMES[0])

    response = api(rival).post(
        "/api/v1/reports/", {"kind": "dossier", "operator": operator.pk}, format="json"
    )

    assert response.status_code == 404
    assert ReportRun.objects.count() == 0


def test_other_organizations_operator_dossier_is_404_on_the_dashboard(demo, client):
    client.force_login(User.objects.get(username="rival_manager"))
    operator = Operator.objects.get(name_zh=AGENCY_NAMES[0])

    response = client.post("/reports/generate/", {"kind": "dossier", "operator": operator.pk})

    assert response.status_code == 404
    assert ReportRun.objects.count() == 0


def test_small_report_is_rendered_at_once_and_recorded(demo, api):
    operator = Operator.objects.get(name_zh=AGENCY_NAMES[0])

    response = api(demo).post(
        "/api/v1/reports/",
        {"kind": "dossier", "operator": operator.pk, "as_of": "2026-01-15"},
        format="json",
    )

    assert response.status_code == 201
    run = ReportRun.objects.get()
    assert (run.user, run.kind, run.status, run.progress) == (demo, "dossier", "done", 100)
    assert run.params == {"as_of": "2026-01-15", "operator_id": operator.pk}
    download = api(demo).get(response.json()["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"
    # Someone else's run is answered like a missing one.
    other = User.objects.get(username="rival_manager")
    assert api(other).get(f"/api/v1/reports/{run.pk}/").status_code == 404


def test_large_report_is_queued_then_built_by_the_task_idempotently(
    demo, api, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_SYNC_MAX_SERVICES = 0

    with django_capture_on_commit_callbacks() as callbacks:
        response = api(demo).post("/api/v1/reports/", {"kind": "portfolio"}, format="json")

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["download_url"] is None
    assert len(callbacks) == 1
    run = ReportRun.objects.get()

    render_report_task(run.pk)

    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert run.file.read()[:5] == b"%PDF-"
    finished = run.finished_at
    render_report_task(run.pk)  # a redelivered message changes nothing
    run.refresh_from_db()
    assert run.finished_at == finished
    status = api(demo).get(f"/api/v1/reports/{run.pk}/").json()
    assert status["status"] == "done"
    assert status["download_url"].endswith(f"/api/v1/reports/{run.pk}/download/")


def test_status_fragment_polls_while_running_and_stops_when_done(demo, client):
    client.force_login(demo)
    run = ReportRun.objects.create(user=demo, kind="portfolio", params={"as_of": "2026-01-15"})

    pending = client.get(f"/reports/runs/{run.pk}/status/").content.decode()
    assert "hx-trigger" in pending

    render_report_task(run.pk)
    done = client.get(f"/reports/runs/{run.pk}/status/").content.decode()
    assert "hx-trigger" not in done
    assert f"/reports/runs/{run.pk}/download/" in done


def test_render_report_command_writes_a_pdf(demo, tmp_path):
    out = tmp_path / "out.pdf"

    call_command(
        "render_report",
        "--kind",
        "inspection",
        "--as-of",
        "2026-01-15",
        "--lang",
        "zh-hans",
        "--user",
        "agency_manager",
        "-o",
        str(out),
    )

    assert out.read_bytes()[:5] == b"%PDF-"
    assert ReportRun.objects.get().user == demo


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "ftp://example.com/x",
        BASE_URL + "static/../../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "media/reports/secret.pdf",
    ],
    ids=["http", "https", "file", "ftp", "traversal", "encoded_traversal", "media"],
)
def test_url_fetcher_refuses_everything_but_data_and_static(url):
    with pytest.raises(RefusedURL):
        LocalOnlyFetcher()(url)


def test_url_fetcher_serves_data_urls_and_own_static_files():
    fetcher = LocalOnlyFetcher()
    assert fetcher("data:text/plain,ok").read() == b"ok"
    css = fetcher(BASE_URL + "static/reports/pdf.css")
    assert b"@page" in css.read()


def test_rendering_never_reaches_the_network_or_the_file_system(monkeypatch):
    refused: list[str] = []
    original = LocalOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(LocalOnlyFetcher, "fetch", spy)

    def no_socket(*args, **kwargs):
        raise AssertionError("network access during PDF rendering")

    monkeypatch.setattr("socket.socket.connect", no_socket)
    html = (
        '<html><head><link rel="stylesheet" href="file:///etc/passwd">'
        '<style>@import url("http://example.com/x.css");</style></head>'
        '<body><img src="http://example.com/logo.png"><img src="file:///etc/passwd">'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">ok</body></html>'
    )

    pdf = html_to_pdf(html)

    assert pdf[:5] == b"%PDF-"
    assert set(refused) == {
        "file:///etc/passwd",
        "http://example.com/x.css",
        "http://example.com/logo.png",
    }


def test_reports_page_renders_for_a_member(demo, client):
    client.force_login(demo)

    response = client.get("/reports/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "深圳市鹏程网络科技有限公司" in page  # operator choices come from the selector
    assert "广州白云餐饮管理有限公司" not in page


def test_dashboard_generates_a_small_report_as_a_download(demo, client):
    client.force_login(demo)

    response = client.post(
        "/reports/generate/", {"kind": "inspection", "as_of": "2026-01-15", "language": "en"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    run = ReportRun.objects.get()
    assert (run.user, run.kind, run.status) == (demo, "inspection", "done")


def test_dashboard_large_report_redirects_to_a_polling_page(demo, client, settings):
    settings.REPORTS_SYNC_MAX_SERVICES = 0
    client.force_login(demo)

    response = client.post("/reports/generate/", {"kind": "portfolio", "language": "zh-hans"})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/runs/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/reports/runs/{run.pk}/status/"' in page


def test_dossier_lists_documents_with_their_expiry(manager, operator):
    Document.objects.create(
        organization=operator.organization,
        operator=operator,
        doc_type="business_licence",
        name="营业执照副本",
        file="documents/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        expires_on=datetime.date(2031, 3, 31),
    )

    pdf = services.report_render(
        user=manager, kind="dossier", params={"as_of": "2026-01-15", "operator_id": operator.pk}
    )

    text = _text(pdf)
    assert "营业执照副本" in text
    assert "2031-03-31" in text
