"""The fake websites (one server for the module's tests) and settings that point the
checker at them through the egress guard's test allow-list."""

from __future__ import annotations

import pytest

from .site_fakes import (
    BJ_ENTITY,
    BJ_PSB,
    BJ_SITE,
    GD_ENTITY,
    GD_PSB,
    GD_SITE,
    Site,
    SiteServer,
    closed_port,
    icp,
    page,
    psb,
    redirect,
)

GOOD_GD = icp() + " " + psb()
GOOD_BJ = icp(BJ_SITE) + " " + psb(BJ_PSB)

# host -> (what the server answers, the filing number and PSB on record, expected findings)
VARIANTS: dict[str, tuple[dict[str, Site], str, str, set[str]]] = {
    "correct": ({"/": Site(page(GOOD_GD))}, GD_SITE, GD_PSB, set()),
    "correct-bj": ({"/": Site(page(GOOD_BJ))}, BJ_SITE, BJ_PSB, set()),
    "deep-link": (
        {"/": Site(page(icp(href="https://beian.miit.gov.cn/#/Integrated/index") + psb()))},
        GD_SITE,
        GD_PSB,
        set(),
    ),
    "entity-gd": ({"/": Site(page(icp(GD_ENTITY) + psb()))}, GD_SITE, GD_PSB, set()),
    "entity-bj": (
        {"/": Site(page(icp(BJ_ENTITY) + psb(BJ_PSB)))},
        BJ_SITE,
        BJ_PSB,
        {"entity_number"},
    ),
    "legacy-host": (
        {"/": Site(page(icp(href="http://www.miitbeian.gov.cn/") + psb()))},
        GD_SITE,
        GD_PSB,
        {"miit_legacy_link"},
    ),
    "legacy-www": (
        {"/": Site(page(icp(href="https://www.beian.miit.gov.cn/") + psb()))},
        GD_SITE,
        GD_PSB,
        {"miit_legacy_link"},
    ),
    "http-link": (
        {"/": Site(page(icp(href="http://beian.miit.gov.cn/") + psb()))},
        GD_SITE,
        GD_PSB,
        {"miit_legacy_link"},
    ),
    "legacy-path": (
        {
            "/": Site(
                page(icp(href="https://beian.miit.gov.cn/publish/query/indexFirst.action") + psb())
            )
        },
        GD_SITE,
        GD_PSB,
        {"miit_legacy_link"},
    ),
    "not-linked": ({"/": Site(page(GD_SITE + " " + psb()))}, GD_SITE, GD_PSB, {"miit_not_linked"}),
    "psb-mismatch": (
        {"/": Site(page(icp() + psb(code="44010602000002")))},
        GD_SITE,
        GD_PSB,
        {"psb_code_mismatch"},
    ),
    "psb-no-code": (
        {"/": Site(page(icp() + psb(href="https://beian.mps.gov.cn/#/query/webSearch")))},
        GD_SITE,
        GD_PSB,
        {"psb_link_no_code"},
    ),
    "psb-legacy": (
        {
            "/": Site(
                page(
                    icp()
                    + psb(
                        href="http://www.beian.gov.cn/portal/registerSystemInfo"
                        "?recordcode=44010602000001"
                    )
                )
            )
        },
        GD_SITE,
        GD_PSB,
        {"psb_legacy_link"},
    ),
    "psb-no-badge": (
        {"/": Site(page(icp() + psb(badge=False)))},
        GD_SITE,
        GD_PSB,
        {"psb_badge_missing"},
    ),
    "psb-missing": ({"/": Site(page(icp()))}, GD_SITE, GD_PSB, {"psb_missing"}),
    "badge-on-icp": (
        {"/": Site(page(icp(inner='<img src="/img/gongan.png">') + psb()))},
        GD_SITE,
        GD_PSB,
        {"badge_on_icp"},
    ),
    "romanised": (
        {"/": Site(page(icp("Yue ICP 2024012345-1") + psb()))},
        GD_SITE,
        GD_PSB,
        {"romanised_number"},
    ),
    "app-suffix": (
        {"/": Site(page(icp("粤ICP备2024012345号-2A") + psb()))},
        GD_SITE,
        GD_PSB,
        {"other_service_type"},
    ),
    "other-operator": (
        {"/": Site(page(icp() + " " + icp("粤ICP备2024099999号-1") + psb()))},
        GD_SITE,
        GD_PSB,
        {"other_operator_number"},
    ),
    "licence-only": (
        {"/": Site(page(icp("粤B2-20240123") + psb()))},
        GD_SITE,
        GD_PSB,
        {"licence_only"},
    ),
    "no-number": ({"/": Site(page("联系我们"))}, GD_SITE, GD_PSB, {"no_number", "psb_missing"}),
    "not-found": ({"/": Site(page(GOOD_GD), status=404)}, GD_SITE, GD_PSB, {"http_status"}),
    "redirect-loop": (
        {"/": redirect("/a"), "/a": redirect("/b"), "/b": redirect("/")},
        GD_SITE,
        GD_PSB,
        {"redirect_loop"},
    ),
    "redirect-ok": (
        {"/": redirect("/index.html"), "/index.html": Site(page(GOOD_GD))},
        GD_SITE,
        GD_PSB,
        set(),
    ),
    "slow": ({"/": Site(page(GOOD_GD), delay=3.0)}, GD_SITE, GD_PSB, {"timeout"}),
    "huge": (
        {
            "/": Site(
                stream_chunk=b"<p>" + b"x" * (1024 * 1024 - 3),
                repeat=20,  # 20 MB, no Content-Length: the cap stops the read
            )
        },
        GD_SITE,
        GD_PSB,
        {"too_large"},
    ),
    "gbk": (
        {
            "/": Site(
                page(GOOD_GD)
                .replace(b"charset='utf-8'", b"charset='gbk'")
                .decode()
                .encode("gb18030"),
                content_type="text/html",
            )
        },
        GD_SITE,
        GD_PSB,
        set(),
    ),
    "psb-not-filed": ({"/": Site(page(icp()))}, GD_SITE, "", {"psb_not_filed"}),
}


def host_of(name: str) -> str:
    return f"{name}.display-test.cn"


@pytest.fixture(scope="session")
def site_server():
    sites = {}
    for name, (answers, *_rest) in VARIANTS.items():
        for path, site in answers.items():
            sites[(host_of(name), path)] = site
    with SiteServer(sites) as server:
        yield server


@pytest.fixture
def display_env(settings, hosts_file, site_server):
    """The checker pointed at the fake sites: https on a closed port (refused at once, so
    http is tried), http on the server; loopback allowed; short timeouts; no host pause."""
    settings.EGRESS_ALLOW_NETWORKS = ["127.0.0.1/32"]
    settings.DISPLAY_CHECK_URLS = [
        f"https://{{host}}:{closed_port()}/",
        f"http://{{host}}:{site_server.port}/",
    ]
    settings.DISPLAY_CHECK_READ_TIMEOUT = 0.5
    settings.DISPLAY_CHECK_CONNECT_TIMEOUT = 1.0
    settings.DISPLAY_CHECK_HOST_INTERVAL = 0
    settings.DISPLAY_CHECK_MAX_BYTES = 2 * 1024 * 1024
    for name in VARIANTS:
        hosts_file.table[host_of(name)] = ["127.0.0.1"]
    return site_server
