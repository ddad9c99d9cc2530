"""The synthetic agency portfolio: plan in memory (seeded), then COPY every table.

Use `bench.portfolio.generate` (it sets nothing up); this module needs Django to be set up.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from icp.channels import FilingChannel
from icp.provinces import PROVINCES, Province
from icp.workflow import FilingKind, FilingStatus
from miniprograms.models import Lifecycle, Platform, RealNameStatus, ServiceKind

from ._common import PER_SCALE
from ._stories import CLOUDS, EPOCH, Clock, Filing, Stories

USERNAMES = ("bench-manager", "bench-editor", "bench-admin")
EDITOR_CLIENTS = 200

S, K = FilingStatus, FilingKind
# Provinces weighted like a coastal agency's client list.
_BUSY = {"440000": 8, "330000": 6, "110000": 6, "310000": 6, "320000": 4, "510000": 3}
PROVINCE_WEIGHTS = [_BUSY.get(p.code, 1) for p in PROVINCES]
PLATFORM_CHANNEL = {
    Platform.WECHAT: FilingChannel.WECHAT,
    Platform.ALIPAY: FilingChannel.ALIPAY,
    Platform.DOUYIN: FilingChannel.DOUYIN,
}
APPID: dict[str, Callable[[int], str]] = {
    Platform.WECHAT: lambda g: f"wx{g:016x}",
    Platform.ALIPAY: lambda g: f"20{g:014d}",
    Platform.DOUYIN: lambda g: f"tt{g:016x}",
    Platform.QQ: lambda g: f"{1_000_000_000 + g}",
    Platform.BAIDU: lambda g: f"bd{g:010d}",
    Platform.APP_STORE: lambda g: f"com.benchmark.app{g}",
    Platform.QUICK_APP: lambda g: f"com.benchmark.quick{g}",
}
SERVICE_WORD = {
    ServiceKind.MINIPROGRAM: "小程序",
    ServiceKind.APP: "应用",
    ServiceKind.QUICKAPP: "快应用",
}
NUMBER_LETTER = {ServiceKind.MINIPROGRAM: "X", ServiceKind.APP: "A", ServiceKind.QUICKAPP: "K"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
WORDS = "云智乐易快惠优联达通汇信诚天海星华"
CATEGORIES = ("电子商务", "教育", "生活服务", "工具", "餐饮", "旅游", "医疗健康", "金融")
PREAPPROVAL_CATEGORIES = ("药品和医疗器械", "新闻", "出版", "文化", "广播电影电视节目")
REGISTRARS = ("阿里云", "腾讯云", "西部数码", "新网", "华为云")
TLDS = (("cn", 50), ("com", 35), ("net", 8), ("top", 4), ("xn--fiqs8s", 3))
ID_REGIONS = ("110105", "310104", "440305", "330106", "510107", "420106")  # real districts


@dataclass
class Service:
    kind: str  # "mp" or "domain"
    g: int  # global index, for unique names
    attrs: dict = field(default_factory=dict)
    filings: list[Filing] = field(default_factory=list)
    imported: bool = False
    number: str = ""


@dataclass
class Client:
    i: int
    province: Province
    individual: bool
    services: list[Service] = field(default_factory=list)
    entity_number: str = ""
    op_id: int = 0  # set when written


class Generator:
    def __init__(self, scale: float, seed: int, anchor: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.clock = Clock(self.rng, anchor)
        self.stories = Stories(self.clock)
        self.n = {k: max(1, round(v * scale)) for k, v in PER_SCALE.items()}
        self.g = 0

    # --- plan ------------------------------------------------------------------------------

    def plan(self) -> list[Client]:
        rng, n_ops = self.rng, self.n["operators"]
        counts = {"mp": [0] * n_ops, "domain": [0] * n_ops}
        for i in range(n_ops):  # every client has at least one service
            counts["mp" if rng.random() < 0.54 else "domain"][i] += 1
        weights = [rng.lognormvariate(0, 0.9) for _ in range(n_ops)]
        for kind, total in (("mp", self.n["miniprograms"]), ("domain", self.n["domains"])):
            for i in rng.choices(range(n_ops), weights, k=max(0, total - sum(counts[kind]))):
                counts[kind][i] += 1
        clients = [self._client(i, counts["mp"][i], counts["domain"][i]) for i in range(n_ops)]
        self._add_extra_filings(clients)
        return clients

    def _client(self, i: int, n_mp: int, n_dom: int) -> Client:
        rng = self.rng
        province = rng.choices(PROVINCES, PROVINCE_WEIGHTS)[0]
        client = Client(i, province, individual=rng.random() < 0.03)
        for kind, count in (("mp", n_mp), ("domain", n_dom)):
            for _ in range(count):
                self.g += 1
                svc = Service(kind, self.g)
                svc.attrs = self._mp_attrs(svc.g) if kind == "mp" else self._domain_attrs(client)
                client.services.append(svc)
        in_flight = rng.choice(client.services) if rng.random() < 0.7 else None
        for svc in client.services:
            self._story(svc, svc is in_flight)
        self._number(client)
        return client

    def _mp_attrs(self, g: int) -> dict:
        rng, c = self.rng, self.clock
        r = rng.random()
        if r < 0.80:
            kind = ServiceKind.MINIPROGRAM
            platform = rng.choices(
                [Platform.WECHAT, Platform.ALIPAY, Platform.DOUYIN, Platform.BAIDU, Platform.QQ],
                [55, 15, 15, 7, 8],
            )[0]
        elif r < 0.97:
            kind, platform = ServiceKind.APP, Platform.APP_STORE
        else:
            kind, platform = ServiceKind.QUICKAPP, Platform.QUICK_APP
        r = rng.random()
        if r < 0.35:
            launch = c.date_between(datetime.date(2019, 1, 1), datetime.date(2023, 8, 31))
        elif r < 0.85:
            launch = c.date_between(
                datetime.date(2023, 9, 1), c.anchor + datetime.timedelta(days=60)
            )
        else:
            launch = None
        if launch is None or launch > c.anchor:
            lifecycle = Lifecycle.IN_DEVELOPMENT
        else:
            lifecycle = Lifecycle.DELISTED if rng.random() < 0.08 else Lifecycle.LIVE
        return {
            "name": f"{rng.choice(WORDS)}{rng.choice(WORDS)}{SERVICE_WORD[kind]}{g}",
            "kind": kind,
            "platform": platform,
            "appid": APPID[platform](g),
            "launch_date": launch,
            "lifecycle": lifecycle,
            "content_category": rng.choice(CATEGORIES),
        }

    def _domain_attrs(self, client: Client) -> dict:
        rng, c = self.rng, self.clock
        tld = rng.choices([t for t, _ in TLDS], [w for _, w in TLDS])[0]
        live = c.date_between(EPOCH, c.anchor + datetime.timedelta(days=30))
        live_since = live if rng.random() < 0.6 else None
        psb_number, psb_filed_on = "", None
        if live_since is not None and live_since <= c.anchor and rng.random() < 0.65:
            code = f"{client.province.code[:2]}{rng.randrange(10**12):012d}"
            psb_number = f"{client.province.icp_char}公网安备{code}号"
            psb_filed_on = live_since + datetime.timedelta(days=rng.randint(5, 60))
        return {
            "name": f"bench{self.g}.{tld}",
            "tld_id": tld,
            "site_name": f"{rng.choice(WORDS)}{rng.choice(WORDS)}网",
            "registrar": rng.choice(REGISTRARS),
            "real_name_status": rng.choices(
                [
                    RealNameStatus.VERIFIED,
                    RealNameStatus.PENDING,
                    RealNameStatus.UNVERIFIED,
                    RealNameStatus.FAILED,
                ],
                [85, 7, 5, 3],
            )[0],
            "expires_on": None if rng.random() < 0.05 else c.expiry(90),
            "live_since": live_since,
            "psb_number": psb_number,
            "psb_filed_on": psb_filed_on,
        }

    def _channel(self, svc: Service) -> str:
        platform = svc.attrs.get("platform")
        return PLATFORM_CHANNEL.get(platform) or self.rng.choice(CLOUDS)  # type: ignore[arg-type]

    def _story(self, svc: Service, in_flight: bool) -> None:
        rng, st = self.rng, self.stories
        channel = self._channel(svc)
        # K.ADD_SERVICE for now; _number makes the client's first application a NEW_FILING.
        if in_flight:
            if rng.random() < 0.8:
                if rng.random() < 0.2:
                    svc.filings.append(st.withdrawn(K.ADD_SERVICE, channel, st.history_start()))
                svc.filings.append(st.in_flight(K.ADD_SERVICE, channel))
            else:
                svc.filings.append(st.approved(K.ADD_SERVICE, channel, st.history_start()))
                svc.filings.append(st.in_flight_change(channel))
            return
        r = rng.random()
        if r < 0.68:
            start = st.history_start()
            if rng.random() < 0.15:
                first = st.withdrawn(K.ADD_SERVICE, channel, start)
                svc.filings.append(first)
                start = self.clock.later(first.entered, 1, 30)
            svc.filings.append(st.approved(K.ADD_SERVICE, channel, start))
        elif r < 0.76:
            svc.filings.append(Filing(K.ADD_SERVICE, channel, self.clock.days_before_anchor(0, 90)))
        elif r < 0.82:
            svc.filings.append(st.withdrawn(K.ADD_SERVICE, channel, st.history_start()))
        elif r < 0.90:
            svc.imported = True  # a number typed in from before the tool, no history

    def _number(self, client: Client) -> None:
        """Kinds (first application NEW_FILING) and numbers in order of approval."""
        granting = [(f, s) for s in client.services for f in s.filings if f.kind == K.ADD_SERVICE]
        if granting:
            min(granting, key=lambda fs: fs[0].created)[0].kind = K.NEW_FILING
        approved = sorted(
            ((f, s) for f, s in granting if f.approved_at is not None),
            key=lambda fs: fs[0].entered,
        )
        imported = [s for s in client.services if s.imported]
        if not approved and not imported:
            return
        year = approved[0][0].entered.year if approved else 2021
        client.entity_number = f"{client.province.icp_char}ICP备{year}{client.i:06d}号"
        for seq, svc in enumerate(imported + [s for _, s in approved], start=1):
            letter = NUMBER_LETTER.get(svc.attrs.get("kind", ""), "")
            svc.number = f"{client.entity_number}-{seq}{letter}"

    def _add_extra_filings(self, clients: list[Client]) -> None:
        """Changes and new accesses on approved services, up to the target filing count."""
        rng, st = self.rng, self.stories
        approved = [s for c in clients for s in c.services if s.number and not s.imported]
        planned = sum(len(s.filings) for c in clients for s in c.services)
        missing = self.n["filings"] - planned
        if missing <= 0 or not approved:
            return
        latest = self.clock.start_of_anchor - datetime.timedelta(days=130)
        for svc in rng.choices(approved, k=missing):
            after = max(f.entered for f in svc.filings)
            if rng.random() < 0.3 and after < latest:
                start = self.clock.at(self.clock.date_between(after.date(), latest.date()))
                channel = rng.choice(CLOUDS)
                svc.filings.append(st.approved(K.NEW_ACCESS, channel, start))
            else:
                svc.filings.append(st.change(self._channel(svc), after))
