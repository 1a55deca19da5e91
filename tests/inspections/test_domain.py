"""The checklist rules without a database: templates, typed values, verdicts, findings, the schedule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dutyboard
from dutyboard.domain import inspection as rules
from dutyboard.domain.calendar import BusinessCalendar

TEMPLATES = Path(dutyboard.__file__).parent / "templates"
ISSUE_KEYS = [
    "env.temperature", "env.humidity", "env.dust", "env.power", "status.devices",
    "perf.user_experience", "perf.host_load", "perf.network_load", "perf.db_load",
    "perf.backup_policy", "perf.backup_restore_test", "sec.room", "sec.host", "sec.database",
    "sec.backup", "pm.fault_logs", "pm.hardware_diagnosis", "pm.cleaning", "pm.network_test",
    "pm.firmware", "pm.patches", "pm.os_health", "pm.performance", "pm.spare_parts",
]


def monthly() -> rules.Template:
    return rules.Template.from_json(json.loads((TEMPLATES / "monthly.json").read_text("utf-8")))


CAL = BusinessCalendar(ZoneInfo("Asia/Shanghai"))
WORKING = CAL.is_working_day


# ---------------------------------------------------------------- the shipped templates


def test_monthly_template_has_exactly_the_issue_keys_in_the_plans_sections() -> None:
    template = monthly()
    assert [i.key for i in template.items] == ISSUE_KEYS
    assert [s.key for s in template.sections] == ["env", "status", "perf", "sec", "pm"]
    assert template.kind == "monthly"
    for item in template.items:
        assert item.key.split(".")[0] == item.section


def test_monthly_template_ranges_come_from_the_standards() -> None:
    template = monthly()
    temp = template.item("env.temperature")
    assert (temp.type, temp.unit, temp.min, temp.max) == ("number", "°C", 18, 27)
    hum = template.item("env.humidity")
    assert (hum.unit, hum.min, hum.max, hum.limits) == ("%RH", 25, 60, (0, 100))
    for key in ("perf.host_load", "perf.network_load", "perf.db_load"):
        load = template.item(key)
        assert (load.unit, load.min, load.max) == ("%", None, 80)
    for key in ("env.dust", "env.power", "sec.room", "sec.host", "sec.database", "sec.backup"):
        assert template.item(key).choices == ("ok", "fault", "na")
        assert template.item(key).findings == ("fault",)
    assert template.item("perf.backup_restore_test").findings == ("fault", "not_tried")


def test_every_shipped_template_loads_and_survives_a_round_trip() -> None:
    paths = sorted(TEMPLATES.glob("*.json"))
    assert len(paths) >= 2
    for path in paths:
        template = rules.Template.from_json(json.loads(path.read_text("utf-8")))
        assert rules.Template.from_json(template.to_json()) == template


def test_adhoc_template_has_a_required_free_text_item() -> None:
    template = rules.Template.from_json(json.loads((TEMPLATES / "adhoc.json").read_text("utf-8")))
    assert template.kind == "adhoc"
    texts = [i for i in template.items if i.type == "text"]
    assert texts and texts[0].required


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.pop("sections"), "sections"),
        (lambda d: d["sections"][0]["items"][0].update(type="slider"), "type"),
        (lambda d: d["sections"][0]["items"][0].update(min=30, max=20), "above the maximum"),
        (lambda d: d["sections"][0]["items"][0].update(max=500), "physical limits"),
        (lambda d: d["sections"][0]["items"][2].update(findings=["broken"]), "findings"),
        (lambda d: d["sections"][0]["items"][2].update(ticket_level=5), "ticket_level"),
        (lambda d: d["sections"][1]["items"][0].update(key="env.temperature"), "twice"),
    ],
)
def test_a_broken_template_is_refused_saying_where(change: object, fragment: str) -> None:
    data = json.loads((TEMPLATES / "monthly.json").read_text("utf-8"))
    change(data)  # type: ignore[operator]
    with pytest.raises(rules.TemplateError, match=fragment):
        rules.Template.from_json(data)


def test_site_ranges_override_the_defaults_and_are_validated() -> None:
    template = monthly().with_ranges({"env.temperature": {"max": 25}, "perf.db_load": {"max": 70}})
    assert template.item("env.temperature").range_text() == "18–25 °C"
    assert template.item("perf.db_load").range_text() == "≤ 70 %"
    assert monthly().item("env.temperature").max == 27  # the shipped one is untouched
    with pytest.raises(rules.TemplateError, match="unknown item"):
        monthly().with_ranges({"env.noise": {"max": 60}})
    with pytest.raises(rules.TemplateError, match="not a number item"):
        monthly().with_ranges({"env.dust": {"max": 1}})
    with pytest.raises(rules.TemplateError, match="above the maximum"):
        monthly().with_ranges({"env.temperature": {"min": 26, "max": 20}})
    with pytest.raises(rules.TemplateError, match="physical"):
        monthly().with_ranges({"env.humidity": {"max": 120}})


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("typed", "value", "verdict", "reason"),
    [
        ("22", "22", "ok", ""),
        ("22.5", "22.5", "ok", ""),
        (" 18 ", "18", "ok", ""),
        ("27.0", "27", "ok", ""),
        ("31", "31", "finding", "outside 18–27 °C"),
        ("17.9", "17.9", "finding", "outside 18–27 °C"),
        ("31°C", "31", "finding", "outside 18–27 °C"),
        ("31 °C", "31", "finding", "outside 18–27 °C"),
        ("31℃", "31", "finding", "outside 18–27 °C"),
        ("３１", "31", "finding", "outside 18–27 °C"),
        ("22,5", "22.5", "ok", ""),
        ("-5", "-5", "finding", "outside 18–27 °C"),
    ],
)
def test_temperature_values(typed: str, value: str, verdict: str, reason: str) -> None:
    checked = rules.check(monthly().item("env.temperature"), typed)
    assert (checked.value, checked.verdict, checked.reason) == (value, verdict, reason)


@pytest.mark.parametrize("typed", ["abc", "2x", "31 %", "1e3", "nan", "inf", "12..5", "--3", "na"])
def test_a_temperature_that_is_not_a_number_is_bad_input(typed: str) -> None:
    with pytest.raises(rules.BadValue, match="is not a number"):
        rules.check(monthly().item("env.temperature"), typed)


@pytest.mark.parametrize(("key", "typed"), [("env.temperature", "300"), ("env.humidity", "140"),
                                            ("env.temperature", "-60"), ("perf.host_load", "101")])
def test_physically_impossible_values_are_bad_input_not_findings(key: str, typed: str) -> None:
    with pytest.raises(rules.BadValue, match="outside any physical range"):
        rules.check(monthly().item(key), typed)


def test_loads_are_one_sided_and_may_be_not_applicable() -> None:
    load = monthly().item("perf.db_load")
    assert rules.check(load, "80").verdict == "ok"
    over = rules.check(load, "85%")
    assert (over.verdict, over.reason) == ("finding", "above 80 %")
    na = rules.check(load, "n/a")
    assert (na.value, na.verdict) == ("na", "na")
    assert load.value_text("na") == "Not applicable"
    assert load.value_text("85") == "85 %"


def test_humidity_accepts_its_unit() -> None:
    humidity = monthly().item("env.humidity")
    assert rules.check(humidity, "45 %RH").value == "45"
    assert rules.check(humidity, "45%").value == "45"
    assert rules.check(humidity, "65").reason == "outside 25–60 %RH"


@given(st.floats(min_value=-40, max_value=85, allow_nan=False))
def test_every_physical_temperature_is_accepted_and_judged_by_the_range(value: float) -> None:
    typed = f"{value:.2f}"
    checked = rules.check(monthly().item("env.temperature"), typed)
    assert checked.verdict == ("ok" if 18 <= float(typed) <= 27 else "finding")
    assert float(checked.value) == float(typed)


# ---------------------------------------------------------------- choices and text


def test_choices_by_key_or_label_case_insensitive() -> None:
    dust = monthly().item("env.dust")
    assert rules.check(dust, "ok").verdict == "ok"
    assert rules.check(dust, "FAULT") == rules.Checked("fault", "finding", "Fault")
    assert rules.check(dust, "Not applicable").value == "na"
    assert rules.check(dust, "n/a").verdict == "na"
    with pytest.raises(rules.BadValue, match=r"not one of: ok \(OK\), fault \(Fault\), na"):
        rules.check(dust, "dirty")


def test_the_restore_test_fails_when_it_failed_or_was_not_tried() -> None:
    item = monthly().item("perf.backup_restore_test")
    assert rules.check(item, "ok").verdict == "ok"
    assert rules.check(item, "fault").verdict == "finding"
    assert rules.check(item, "not tried").verdict == "finding"


def test_rating_poor_is_a_finding() -> None:
    item = monthly().item("perf.user_experience")
    assert [rules.check(item, c).verdict for c in item.choices] == ["ok", "ok", "ok", "finding"]


def test_text_is_kept_and_an_empty_value_is_refused() -> None:
    template = rules.Template.from_json(json.loads((TEMPLATES / "adhoc.json").read_text("utf-8")))
    text = next(i for i in template.items if i.type == "text")
    assert rules.check(text, "  扩容存储  ").value == "扩容存储"
    with pytest.raises(rules.BadValue, match="no value"):
        rules.check(text, "   ")
    with pytest.raises(rules.BadValue, match="longer"):
        rules.check(text, "x" * (rules.TEXT_MAX + 1))


def test_unknown_item_names_the_known_ones() -> None:
    with pytest.raises(rules.BadValue, match="Unknown item 'env.noise'.*env.temperature"):
        monthly().item("env.noise")


# ---------------------------------------------------------------- findings


def test_findings_and_missing_required_in_checklist_order() -> None:
    template = monthly()
    values = {"env.temperature": "31", "env.humidity": "45", "env.dust": "fault",
              "perf.db_load": "92", "perf.backup_restore_test": "ok", "pm.cleaning": "done"}
    found = rules.findings(template, values)
    assert [f.item.key for f in found] == ["env.temperature", "env.dust", "perf.db_load"]
    assert found[0].ticket_title() == (
        "Inspection finding: Temperature 31 °C (18–27 °C)"
    )
    assert found[1].ticket_title() == "Inspection finding: Dust: Fault"
    assert found[2].ticket_title() == "Inspection finding: Database load 92 % (≤ 80 %)"
    missing = rules.missing_required(template, values)
    assert "env.power" in missing and "env.temperature" not in missing
    assert "perf.user_experience" not in missing  # not required
    assert "pm.firmware" not in missing


def test_ticket_levels_default_to_three_unless_the_template_says() -> None:
    template = monthly()
    assert template.item("env.temperature").ticket_level == 3
    assert template.item("pm.spare_parts").ticket_level == 4
    assert template.item("perf.user_experience").ticket_service == "development"


# ---------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (1, date(2026, 1, 15)),   # a Thursday
        (2, date(2026, 2, 24)),   # Sunday in the Spring Festival holiday (15th to 23rd)
        (3, date(2026, 3, 16)),   # Sunday -> Monday
        (8, date(2026, 8, 17)),   # Saturday -> Monday
        (11, date(2026, 11, 16)),  # Sunday -> Monday
        (12, date(2026, 12, 15)),
    ],
)
def test_the_15th_or_the_next_working_day_in_2026(month: int, expected: date) -> None:
    assert rules.scheduled_day((2026, month), 15, WORKING) == expected


def test_a_day_past_the_month_end_uses_the_last_day_or_the_next_working_day() -> None:
    # 2026-02-28 is a Saturday but an adjusted working day (调休) of the Spring Festival.
    assert rules.scheduled_day((2026, 2), 30, WORKING) == date(2026, 2, 28)
    # 2026-01-31 is a Saturday: January's inspection falls on Monday 2 February.
    assert rules.scheduled_day((2026, 1), 31, WORKING) == date(2026, 2, 2)
    # 2026-10-01 is National Day: the 1st moves past the holiday.
    assert rules.scheduled_day((2026, 10), 1, WORKING) > date(2026, 10, 7)


def test_an_adjusted_working_weekend_counts() -> None:
    # 2026-10-10 is a Saturday worked instead of a National Day holiday.
    assert rules.scheduled_day((2026, 10), 10, WORKING) == date(2026, 10, 10)


def test_overrides_move_the_day() -> None:
    cal = BusinessCalendar(ZoneInfo("Asia/Shanghai"), overrides={date(2026, 12, 15): False})
    assert rules.scheduled_day((2026, 12), 15, cal.is_working_day) == date(2026, 12, 16)


def test_a_year_without_official_data_falls_back_to_monday_to_friday() -> None:
    seen: list[int] = []
    cal = BusinessCalendar(ZoneInfo("Asia/Shanghai"), on_unknown_year=seen.append)
    # 2027-08-15 is a Sunday.
    assert rules.scheduled_day((2027, 8), 15, cal.is_working_day) == date(2027, 8, 16)
    assert seen == [2027]


def status(today: str, done: list[rules.Period] = [], day: int = 15) -> rules.ScheduleStatus:  # noqa: B006
    return rules.schedule_status(date.fromisoformat(today), day, done, WORKING)


def test_due_from_the_first_overdue_after_the_day() -> None:
    assert status("2026-11-01") == rules.ScheduleStatus((2026, 11), date(2026, 11, 16), True, False)
    assert status("2026-11-16").overdue is False  # the inspection day itself
    assert status("2026-11-17") == rules.ScheduleStatus((2026, 11), date(2026, 11, 16), True, True)
    assert status("2026-11-30").overdue is True


def test_done_this_month_points_at_next_month() -> None:
    assert status("2026-11-20", [(2026, 11)]) == rules.ScheduleStatus(
        (2026, 12), date(2026, 12, 15), False, False
    )
    # December done: January of the next year.
    assert status("2026-12-31", [(2026, 12)]).next_due == date(2027, 1, 15)


def test_a_missed_month_ends_with_its_month_and_the_new_month_starts_fresh() -> None:
    assert status("2026-12-01") == rules.ScheduleStatus((2026, 12), date(2026, 12, 15), True, False)
    assert status("2027-01-01").period == (2027, 1)


def test_february_during_the_spring_festival_is_not_overdue_until_the_24th() -> None:
    assert status("2026-02-20").overdue is False
    assert status("2026-02-24").overdue is False
    assert status("2026-02-25").overdue is True


def test_a_month_whose_day_spills_into_the_next_month_is_still_owed_there() -> None:
    # Day 31: January 2026's inspection falls on Monday 2 February.
    jan_owed = status("2026-02-01", day=31)
    assert jan_owed == rules.ScheduleStatus((2026, 1), date(2026, 2, 2), True, False)
    assert status("2026-02-03", day=31).overdue is True
    # Once January's is done, February is owed (its day is the 28th, an adjusted working day).
    assert status("2026-02-03", [(2026, 1)], day=31) == rules.ScheduleStatus(
        (2026, 2), date(2026, 2, 28), True, False
    )
    assert rules.period_for_start(date(2026, 2, 1), 31, [], WORKING) == (2026, 1)
    assert rules.period_for_start(date(2026, 2, 1), 31, [(2026, 1)], WORKING) == (2026, 2)


def test_period_for_start_is_the_current_month_once_it_is_done() -> None:
    assert rules.period_for_start(date(2026, 11, 20), 15, [(2026, 11)], WORKING) == (2026, 11)
    assert rules.period_for_start(date(2026, 11, 3), 15, [], WORKING) == (2026, 11)


@pytest.mark.parametrize("bad", [0, 32, "15", True, None])
def test_day_of_month_is_checked(bad: object) -> None:
    with pytest.raises(rules.BadValue, match="1 to 31"):
        rules.check_day_of_month(bad)


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)), st.integers(1, 31))
def test_the_scheduled_day_is_a_working_day_on_or_after_the_wanted_day(today: date, day: int) -> None:
    scheduled = rules.scheduled_day((today.year, today.month), day, WORKING)
    assert WORKING(scheduled)
    assert scheduled.day >= min(day, 28) or scheduled.month != today.month
    result = status(today.isoformat(), day=day)
    assert result.due_now
    assert result.overdue == (today > result.next_due)
