"""Formatting in both languages: countdowns, durations, dates, the plan's names, terminal widths."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dutyboard import fmt, i18n

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """Leave the process in the language it was in, whatever a test switched to."""
    saved = i18n._translation, i18n._language
    yield
    i18n._translation, i18n._language = saved


@pytest.fixture
def en() -> None:
    i18n.setup_language("en")


@pytest.fixture
def zh() -> None:
    i18n.setup_language("zh_CN")


class TestCountdown:
    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (0, "0:00"),
            (42, "0:42"),
            (41.2, "0:42"),  # a part second still to go counts as a second
            (754, "12:34"),
            (3599, "59:59"),
            (3600, "1h00m"),
            (3 * 3600 + 5 * 60 + 59, "3h05m"),
            (99 * 3600 + 59 * 60, "99h59m"),
            (100 * 3600, "4d04h"),
            (4 * 86400 + 5 * 3600 + 1800, "4d05h"),
            (-42, "-0:42"),
            (-0.2, "-0:01"),  # breached shows the minus at once
            (-754, "-12:34"),
            (-(3 * 3600 + 5 * 60), "-3h05m"),
            (-(4 * 86400 + 5 * 3600), "-4d05h"),
        ],
    )
    def test_english(self, en: None, seconds: float, text: str) -> None:
        assert fmt.countdown(seconds) == text

    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (754, "12:34"),
            (-42, "-0:42"),
            (3 * 3600 + 5 * 60, "3小时05分"),
            (-(3 * 3600 + 5 * 60), "-3小时05分"),
            (4 * 86400 + 5 * 3600, "4天05小时"),
        ],
    )
    def test_chinese(self, zh: None, seconds: float, text: str) -> None:
        assert fmt.countdown(seconds) == text

    def test_fits_a_narrow_column(self, zh: None) -> None:
        widest = max(
            fmt.cell_width(fmt.countdown(s)) for s in (-99 * 3600 - 3599, 99 * 3600 + 3599)
        )
        assert widest <= 11


class TestDuration:
    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (0, "0 s"),
            (45, "45 s"),
            (60, "1 min"),
            (330, "5 min 30 s"),
            (3600, "1 h"),
            (3 * 3600 + 5 * 60 + 20, "3 h 5 min"),
            (24 * 3600, "24 h"),
            (100 * 3600, "4 d 4 h"),
            (5 * 86400, "5 d"),
            (-90, "-1 min 30 s"),
        ],
    )
    def test_english(self, en: None, seconds: float, text: str) -> None:
        assert fmt.duration(seconds) == text

    @pytest.mark.parametrize(
        ("seconds", "text"),
        [
            (45, "45秒"),
            (15 * 60, "15分钟"),
            (330, "5分钟30秒"),
            (4 * 3600, "4小时"),
            (3 * 3600 + 5 * 60, "3小时5分钟"),
            (5 * 86400 + 3 * 3600, "5天3小时"),
            (5 * 86400, "5天"),
        ],
    )
    def test_chinese(self, zh: None, seconds: float, text: str) -> None:
        assert fmt.duration(seconds) == text


class TestDates:
    def test_date(self, en: None) -> None:
        assert fmt.date(date(2026, 11, 25)) == "2026-11-25"
        assert fmt.date(date(2026, 3, 5)) == "2026-03-05"

    def test_date_chinese(self, zh: None) -> None:
        assert fmt.date(date(2026, 11, 25)) == "2026年11月25日"
        assert fmt.date(date(2026, 3, 5)) == "2026年3月5日"

    def test_weekdays(self, en: None) -> None:
        monday = date(2026, 11, 23)
        names = [fmt.weekday(monday + timedelta(days=n)) for n in range(7)]
        assert names == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    def test_weekdays_chinese(self, zh: None) -> None:
        monday = date(2026, 11, 23)
        names = [fmt.weekday(monday + timedelta(days=n)) for n in range(7)]
        assert names == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    def test_datetime_short_in_the_zone(self, en: None) -> None:
        instant = datetime(2026, 11, 25, 6, 5, 59, tzinfo=UTC)
        assert fmt.datetime_short(instant, SHANGHAI) == "11-25 14:05"
        assert fmt.datetime_short(instant, UTC) == "11-25 06:05"

    def test_datetime_short_chinese(self, zh: None) -> None:
        instant = datetime(2026, 11, 25, 6, 5, tzinfo=UTC)
        assert fmt.datetime_short(instant, SHANGHAI) == "11月25日 14:05"
        assert fmt.datetime_short(datetime(2026, 3, 1, 0, 0, tzinfo=SHANGHAI), SHANGHAI) == (
            "3月1日 00:00"
        )

    def test_instant_iso(self, zh: None) -> None:
        instant = datetime(2026, 11, 25, 6, 5, 7, 987654, tzinfo=UTC)
        assert fmt.instant_iso(instant, SHANGHAI) == "2026-11-25T14:05:07+08:00"
        assert fmt.instant_iso(instant, UTC) == "2026-11-25T06:05:07+00:00"

    def test_naive_instant_is_refused(self, en: None) -> None:
        with pytest.raises(ValueError, match="has no time zone"):
            fmt.instant_iso(datetime(2026, 11, 25, 14, 5), SHANGHAI)
        with pytest.raises(ValueError, match="has no time zone"):
            fmt.datetime_short(datetime(2026, 11, 25, 14, 5), SHANGHAI)


class TestNames:
    def test_levels(self, en: None) -> None:
        assert [fmt.level_name(n) for n in (1, 2, 3, 4)] == [
            "L1 urgent",
            "L2 serious",
            "L3 significant",
            "L4 ordinary",
        ]
        assert [fmt.level_short(n) for n in (1, 2, 3, 4)] == ["L1", "L2", "L3", "L4"]

    def test_levels_chinese(self, zh: None) -> None:
        assert [fmt.level_name(n) for n in (1, 2, 3, 4)] == [
            "一级 紧急",
            "二级 严重",
            "三级 较严重",
            "四级 普通",
        ]
        assert [fmt.level_short(n) for n in (1, 2, 3, 4)] == ["一级", "二级", "三级", "四级"]

    def test_clocks(self, en: None) -> None:
        names = [fmt.clock_name(c) for c in ("respond", "arrive", "restore", "report", "update", "parts")]
        assert names == ["respond", "arrive", "restore", "report", "update", "parts"]

    def test_clocks_chinese(self, zh: None) -> None:
        names = [fmt.clock_name(c) for c in ("respond", "arrive", "restore", "report", "update", "parts")]
        assert names == ["响应", "到场", "恢复", "报告", "更新", "备件"]

    def test_statuses(self, en: None) -> None:
        assert fmt.status_name("on_site") == "on site"
        assert fmt.status_name("open") == "open"

    def test_statuses_chinese(self, zh: None) -> None:
        statuses = ("open", "acknowledged", "dispatched", "on_site", "restored", "closed")
        assert [fmt.status_name(s) for s in statuses] == [
            "待响应",
            "已响应",
            "已派单",
            "已到场",
            "已恢复",
            "已关闭",
        ]

    def test_clock_states(self, en: None) -> None:
        assert fmt.clock_state_name("not_applicable") == "not applicable"
        assert fmt.clock_state_name("breached") == "breached"

    def test_clock_states_chinese(self, zh: None) -> None:
        states = ("pending", "running", "warning", "breached", "met", "missed", "not_applicable")
        assert [fmt.clock_state_name(s) for s in states] == [
            "未开始",
            "计时中",
            "即将超时",
            "已超时",
            "按时完成",
            "超时完成",
            "不适用",
        ]

    def test_roles(self, en: None) -> None:
        assert fmt.role_name("dedicated_engineer") == "dedicated engineer"
        assert fmt.role_name("regional_gm") == "vendor regional general manager"

    def test_roles_chinese(self, zh: None) -> None:
        roles = (
            "dedicated_engineer",
            "local_manager",
            "regional_expert",
            "vendor_expert",
            "regional_gm",
            "national_expert",
        )
        assert [fmt.role_name(r) for r in roles] == [
            "专责工程师",
            "本地服务经理",
            "华东区域专家",
            "厂商专家",
            "厂商区域总经理",
            "全国技术服务中心专家",
        ]

    def test_services(self, en: None) -> None:
        assert fmt.service_name("hardware") == "hardware (7×24)"
        assert fmt.service_name("development") == "development (5×8)"

    def test_services_chinese(self, zh: None) -> None:
        assert fmt.service_name("hardware") == "硬件(7×24)"
        assert fmt.service_name("development") == "开发(5×8)"

    def test_channels(self, en: None) -> None:
        assert fmt.channel_name("phone") == "phone hotline"
        assert fmt.channel_name("onsite") == "on site"

    def test_channels_chinese(self, zh: None) -> None:
        channels = ("phone", "email", "web", "remote", "onsite", "monitoring", "inspection")
        assert [fmt.channel_name(c) for c in channels] == [
            "热线电话",
            "电子邮件",
            "网站",
            "远程访问",
            "现场",
            "监控告警",
            "巡检",
        ]

    def test_same_english_word_different_chinese(self, zh: None) -> None:
        # "on site" is a status (已到场) and a channel (现场); the catalogue keeps them apart.
        assert fmt.status_name("on_site") != fmt.channel_name("onsite")

    @pytest.mark.parametrize(
        ("function", "value"),
        [
            (fmt.level_name, 5),
            (fmt.level_short, 0),
            (fmt.clock_name, "lunch"),
            (fmt.status_name, "on-site"),
            (fmt.clock_state_name, None),
            (fmt.role_name, "ceo"),
            (fmt.service_name, "software"),
            (fmt.channel_name, "fax"),
            (fmt.level_name, []),
        ],
    )
    def test_unknown_value_is_a_clear_error(self, en: None, function, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValueError, match="is not one of"):
            function(value)

    def test_every_value_the_domain_knows_has_a_name(self, zh: None) -> None:
        policy = pytest.importorskip("dutyboard.domain.policy")
        for level in policy.LEVELS:
            fmt.level_name(level)
        for clock in policy.CLOCKS:
            fmt.clock_name(clock)
        for service in policy.SERVICES:
            fmt.service_name(service)
        for channel in policy.CHANNELS:
            fmt.channel_name(channel)
        for status in policy.STATUSES:
            fmt.status_name(status)
        for state in (*policy.CLOCK_STATES, "warning"):
            fmt.clock_state_name(state)
        for technical, management in policy.CALL_TABLE.values():
            for role in (*technical, *management):
                fmt.role_name(role)


class TestCells:
    def test_width(self) -> None:
        assert fmt.cell_width("L1 urgent") == 9
        assert fmt.cell_width("一级 紧急") == 9
        assert fmt.cell_width("硬件(7×24)") == 10
        assert fmt.cell_width("") == 0

    def test_fit_leaves_short_text_alone(self) -> None:
        assert fmt.fit("restore", 10) == "restore"
        assert fmt.fit("恢复", 4) == "恢复"

    def test_fit_truncates_with_ellipsis(self) -> None:
        assert fmt.fit("dedicated engineer", 10) == "dedicated…"
        assert fmt.cell_width(fmt.fit("dedicated engineer", 10)) == 10

    def test_fit_never_splits_a_wide_character(self) -> None:
        # 9 cells leave 8 for text: four Chinese characters.
        assert fmt.fit("全国技术服务中心专家", 9) == "全国技术…"
        # 8 cells leave 7: the fourth character would need cells 7-8, so it is left out whole.
        assert fmt.fit("全国技术服务中心专家", 8) == "全国技…"
        for width in range(22):
            fitted = fmt.fit("全国技术服务中心专家 expert", width)
            assert fmt.cell_width(fitted) <= width

    def test_fit_mixed_text(self) -> None:
        assert fmt.fit("L1 一级紧急故障", 8) == "L1 一级…"
        assert fmt.fit("L1 一级紧急故障", 7) == "L1 一…"

    def test_fit_keeps_graphemes_whole(self) -> None:
        family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of three joined people
        fitted = fmt.fit(family + "abc", 3)
        assert fitted in (family + "…", "…")
        assert "\u200d" not in fitted or fitted.startswith(family)

    def test_fit_tiny_widths(self) -> None:
        assert fmt.fit("故障", 0) == ""
        assert fmt.fit("故障", 1) == "…"
        assert fmt.fit("故障", -3) == ""
        assert fmt.fit("", 0) == ""

    def test_fit_pads_to_the_column(self) -> None:
        assert fmt.fit("恢复", 6, pad=True) == "恢复  "
        assert fmt.fit("全国技术服务", 8, pad=True) == "全国技… "
        assert fmt.cell_width(fmt.fit("全国技术服务", 8, pad=True)) == 8
        assert fmt.fit("abc", 5, pad=True) == "abc  "


def test_import_is_light() -> None:
    """fmt is used by the command line and the core: no Textual, no database, no babel on import."""
    code = (
        "import sys, dutyboard.fmt\n"
        "print(sorted(m for m in ('textual', 'peewee', 'babel') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
