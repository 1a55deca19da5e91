"""Inspections through the service layer on both databases: drafts, values, submission, schedule."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from inspection_helpers import at, fill

from dutyboard.service import inspections, tickets
from dutyboard.service.errors import BadInput, Forbidden, NotFound
from dutyboard.store.db import change_marker
from dutyboard.store.inspection_models import Inspection, InspectionFinding, InspectionValue
from dutyboard.store.models import Engineer, Event, Ticket

pytestmark = pytest.mark.usefixtures("sites")


def events(kind: str) -> list[Event]:
    return list(Event.select().where(Event.kind == kind).order_by(Event.id))


# ---------------------------------------------------------------- starting


def test_start_makes_a_draft_with_the_whole_checklist(board: Any) -> None:
    view = inspections.start(board, "HQ-DC", at=at("2026-11-10T09:30"))
    assert (view.status, view.kind, view.site, view.period) == ("draft", "monthly", "HQ-DC", (2026, 11))
    assert len(view.entries) == 24 and all(e.value is None for e in view.entries)
    assert view.next_key() == "env.temperature"
    assert "env.temperature" in view.missing and "pm.firmware" not in view.missing
    assert view.started_by == "duty"
    started = events("inspection_started")
    assert len(started) == 1 and started[0].ticket_id is None
    assert json.loads(started[0].details)["inspection"] == view.id


def test_a_monthly_draft_is_resumed_an_adhoc_one_is_always_new(board: Any) -> None:
    first = inspections.start(board, "HQ-DC", at=at("2026-11-10T09:30"))
    again = inspections.start(board, "HQ-DC", at=at("2026-11-10T11:00"))
    assert again.id == first.id and again.resumed and not first.resumed
    other_site = inspections.start(board, "QINGSHAN", at=at("2026-11-10T11:00"))
    assert other_site.id != first.id
    a = inspections.start(board, "HQ-DC", "adhoc", at=at("2026-11-10T12:00"))
    b = inspections.start(board, "HQ-DC", "adhoc", at=at("2026-11-10T12:00"))
    assert a.id != b.id and a.template.key == "adhoc" and a.kind == "adhoc"


def test_unknown_site_names_the_known_ones(board: Any) -> None:
    with pytest.raises(BadInput, match="Unknown site 'NOPE'.*FLOOD-CC, HQ-DC, QINGSHAN"):
        inspections.start(board, "NOPE")
    with pytest.raises(BadInput, match="kind"):
        inspections.start(board, "HQ-DC", "weekly")
    with pytest.raises(BadInput, match="template"):
        inspections.start(board, "HQ-DC", template="nonexistent")
    with pytest.raises(NotFound):
        inspections.show(board, 999)
    assert Inspection.select().count() == 0


# ---------------------------------------------------------------- values


def test_values_are_checked_stored_and_flagged(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    ok = inspections.set_value(board, draft, "env.temperature", "22.5", at=at("2026-11-16T09:01"))
    assert (ok.value, ok.verdict, ok.reason, ok.set_by) == ("22.5", "ok", "", "duty")
    hot = inspections.set_value(board, draft, "env.temperature", "31", note="cold aisle door open")
    assert (hot.value, hot.verdict, hot.reason) == ("31", "finding", "outside 18–27 °C")
    assert hot.note == "cold aisle door open"
    assert hot.value_text() == "31 °C"
    stored = InspectionValue.get(InspectionValue.inspection == draft, InspectionValue.key == "env.temperature")
    assert (stored.value, stored.verdict) == ("31", "finding")
    view = inspections.show(board, draft)
    assert [f.key for f in view.findings] == ["env.temperature"]
    assert view.next_key() == "env.humidity"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("env.temperature", "abc", "env.temperature: 'abc' is not a number"),
        ("env.temperature", "300", "outside any physical range"),
        ("env.humidity", "140", "outside any physical range"),
        ("env.dust", "dirty", "not one of"),
        ("env.noise", "3", "Unknown item 'env.noise'"),
    ],
)
def test_bad_values_change_nothing(board: Any, key: str, value: str, message: str) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    inspections.set_value(board, draft, "env.temperature", "23")
    before = (change_marker(), InspectionValue.select().count())
    with pytest.raises(BadInput, match=message):
        inspections.set_value(board, draft, key, value)
    assert (change_marker(), InspectionValue.select().count()) == before
    assert inspections.show(board, draft).entry("env.temperature").value == "23"


def test_a_note_alone_clearing_a_value_and_the_audit_trail(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    entry = inspections.set_value(board, draft, "sec.room", None, note="门禁卡读卡器松动")
    assert (entry.value, entry.verdict, entry.note) == (None, None, "门禁卡读卡器松动")
    inspections.set_value(board, draft, "sec.room", "fault")
    entry = inspections.set_value(board, draft, "sec.room", "")
    assert entry.value is None and entry.note == "门禁卡读卡器松动"
    entry = inspections.set_value(board, draft, "sec.room", None, note="")
    assert entry.value is None and entry.note == ""
    assert InspectionValue.select().count() == 0
    trail = events("inspection_value")
    assert len(trail) == 4 and all(e.ticket_id is None for e in trail)
    assert json.loads(trail[1].details) == {
        "inspection": draft, "key": "sec.room", "value": "fault", "verdict": "finding"
    }
    with pytest.raises(BadInput):
        inspections.set_value(board, draft, "sec.room", None, None)


def test_every_value_is_committed_at_once_so_a_killed_program_loses_nothing(
    board: Any, db_env: dict[str, str]
) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    inspections.set_value(board, draft, "env.temperature", "29", note="热通道")
    inspections.set_value(board, draft, "env.humidity", "44")
    # Another process (as after a kill and a restart) sees the draft exactly as it was left.
    done = subprocess.run(
        [sys.executable, "-m", "dutyboard", "inspection", "show", str(draft), "--json"],
        env=db_env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "draft"
    assert data["values"]["env.temperature"]["value"] == "29"
    assert data["values"]["env.temperature"]["note"] == "热通道"
    assert data["values"]["env.temperature"]["verdict"] == "finding"
    assert data["values"]["env.humidity"]["value"] == "44"


# ---------------------------------------------------------------- submitting


def test_submit_refuses_while_required_items_are_empty_naming_them(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    inspections.set_value(board, draft, "env.temperature", "35")
    before = change_marker()
    with pytest.raises(BadInput, match=r"env\.humidity \(Humidity\).*pm\.spare_parts") as refused:
        inspections.submit(board, draft, engineer="张伟")
    assert "pm.firmware" not in refused.value.message  # optional
    assert "env.temperature" not in refused.value.message
    assert change_marker() == before
    assert Inspection.get_by_id(draft).status == "draft"
    assert Ticket.select().count() == 0


def test_findings_open_tickets_in_the_same_transaction(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    fill(board, draft, at("2026-11-16T09:10"), env__temperature="31", env__dust="fault",
         perf__db_load="92", perf__backup_restore_test="not_tried", pm__spare_parts="fault")
    inspections.set_value(board, draft, "env.dust", None, note="滤网积灰")
    result = inspections.submit(
        board, draft, engineer="张伟, 李娜", customer_rep="王主任",
        record={"cause": "月度巡检", "precautions": "更换滤网"}, at=at("2026-11-16T11:30"),
    )
    keys = ["env.temperature", "env.dust", "perf.db_load", "perf.backup_restore_test",
            "pm.spare_parts"]
    assert result.status == "submitted"
    assert [f.key for f in result.findings] == keys
    assert len(result.tickets) == 5 and len(set(result.tickets)) == 5
    data = result.to_json()
    assert set(data) == {"id", "status", "findings", "tickets"}
    assert data["findings"][0]["ticket"] == result.tickets[0]

    hot = tickets.view(board, result.tickets[0], at("2026-11-16T11:30"))
    assert hot.title == "Inspection finding: Temperature 31 °C (18–27 °C)"
    assert (hot.level, hot.channel, hot.site, hot.service) == (3, "inspection", "HQ-DC", "hardware")
    assert hot.reported_at == at("2026-11-16T11:30")
    assert "inspection 1" in hot.description.lower() or f"inspection {draft}" in hot.description
    assert [e["kind"] for e in hot.events] == ["opened", "inspection_finding"]
    assert hot.events[1]["inspection"] == draft and hot.events[1]["key"] == "env.temperature"
    dust = tickets.view(board, result.tickets[1])
    assert dust.title == "Inspection finding: Dust: Fault" and "滤网积灰" in dust.description
    assert tickets.view(board, result.tickets[2]).title == (
        "Inspection finding: Database load 92 % (≤ 80 %)"
    )
    spare = tickets.view(board, result.tickets[4])
    assert spare.level == 4  # the template's own ticket level

    links = {f.key: f.ticket_id for f in InspectionFinding.select()}
    assert links == dict(zip(keys, result.tickets, strict=True))
    row = Inspection.get_by_id(draft)
    assert (row.engineers, row.customer_rep, row.cause, row.precautions) == (
        "张伟, 李娜", "王主任", "月度巡检", "更换滤网"
    )
    submitted = events("inspection_submitted")
    assert len(submitted) == 1 and submitted[0].ticket_id is None
    assert json.loads(submitted[0].details)["tickets"] == result.tickets
    view = inspections.show(board, draft)
    assert view.tickets == result.tickets
    assert view.findings[0].ticket_status == "open" and view.findings[0].ticket_level == 3


def test_a_failure_while_opening_tickets_leaves_the_draft_and_no_ticket(
    board: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    fill(board, draft, at("2026-11-16T09:10"), env__temperature="31", env__dust="fault")
    real = tickets.open_ticket
    calls: list[int] = []

    def second_fails(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise BadInput("the ticket store refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(tickets, "open_ticket", second_fails)
    before = change_marker()
    with pytest.raises(BadInput, match="refused"):
        inspections.submit(board, draft, engineer="张伟")
    assert Inspection.get_by_id(draft).status == "draft"
    assert Ticket.select().count() == 0 and InspectionFinding.select().count() == 0
    assert change_marker() == before
    monkeypatch.setattr(tickets, "open_ticket", real)
    assert len(inspections.submit(board, draft, engineer="张伟").tickets) == 2


def test_a_clean_inspection_opens_no_ticket_and_cannot_change_after(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    fill(board, draft, at("2026-11-16T09:10"))
    result = inspections.submit(board, draft, at=at("2026-11-16T10:00"))
    assert (result.findings, result.tickets) == ([], [])
    assert Inspection.get_by_id(draft).engineers == "duty"  # the actor when no name is given
    with pytest.raises(BadInput, match="submitted"):
        inspections.set_value(board, draft, "env.temperature", "40")
    with pytest.raises(BadInput, match="submitted"):
        inspections.submit(board, draft)
    assert InspectionValue.get(InspectionValue.key == "env.temperature").value == "23"


def test_submit_checks_names_and_record_parts(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    fill(board, draft, at("2026-11-16T09:10"))
    with pytest.raises(BadInput, match="Unknown record parts: summary"):
        inspections.submit(board, draft, record={"summary": "x"})
    with pytest.raises(BadInput, match="longer"):
        inspections.submit(board, draft, engineer="x" * 300)
    assert Inspection.get_by_id(draft).status == "draft"


def test_roster_roles_apply(board: Any) -> None:
    Engineer.create(login="duty", name="值班", role="dedicated_engineer", access="viewer")
    with pytest.raises(Forbidden, match="engineer"):
        inspections.start(board, "HQ-DC")
    Engineer.update(access="engineer").execute()
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    inspections.set_value(board, draft, "env.temperature", "22")
    with pytest.raises(Forbidden, match="manager"):
        inspections.configure_site(board, "HQ-DC", day_of_month=20)
    fill(board, draft, at("2026-11-16T09:10"))
    inspections.submit(board, draft)
    assert Inspection.get_by_id(draft).engineers == "值班"  # the roster's name for the actor


# ---------------------------------------------------------------- site ranges and templates


def test_site_ranges_apply_to_new_drafts_and_old_ones_keep_theirs(board: Any) -> None:
    old = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00")).id
    settings = inspections.configure_site(
        board, "HQ-DC", ranges={"env.temperature": {"max": 25}, "perf.db_load": {"max": 70}}
    )
    assert settings.ranges == {"env.temperature": {"max": 25}, "perf.db_load": {"max": 70}}
    assert inspections.set_value(board, old, "env.temperature", "26").verdict == "ok"
    fresh = inspections.start(board, "HQ-DC", "adhoc", at=at("2026-11-16T10:00"))
    assert fresh.entry("perf.db_load").item.max == 70
    other = inspections.start(board, "QINGSHAN", at=at("2026-11-16T10:00"))
    assert other.entry("env.temperature").item.max == 27
    fill(board, old, at("2026-11-16T10:00"), env__temperature="26")
    inspections.submit(board, old)
    new = inspections.start(board, "HQ-DC", at=at("2026-11-17T09:00"))
    assert new.entry("env.temperature").item.range_text() == "18–25 °C"
    assert inspections.set_value(board, new.id, "env.temperature", "26").reason == "outside 18–25 °C"
    inspections.configure_site(board, "HQ-DC", ranges={"env.temperature": None})
    assert inspections.site_settings(board, "HQ-DC").ranges == {"perf.db_load": {"max": 70}}
    assert len(events("inspection_settings")) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day_of_month": 0}, "1 to 31"),
        ({"ranges": {"env.temperature": {"min": 30, "max": 20}}}, "above the maximum"),
        ({"ranges": {"env.humidity": {"max": 150}}}, "physical"),
        ({"ranges": {"env.noise": {"max": 1}}}, "unknown item"),
        ({"template_json": "{not json"}, "not valid JSON"),
        ({"template_json": '{"key": "x", "title": "X", "kind": "adhoc", "sections": [{"key": "a", '
                           '"section_title": "A", "items": [{"key": "a.b", "label": "B", '
                           '"type": "text"}]}]}'}, "monthly"),
    ],
)
def test_bad_site_settings_change_nothing(board: Any, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        inspections.configure_site(board, "HQ-DC", **changes)
    assert inspections.site_settings(board, "HQ-DC").day_of_month == 15
    assert inspections.site_settings(board, "HQ-DC").ranges == {}
    assert not events("inspection_settings")


def test_a_site_may_have_its_own_monthly_template(board: Any) -> None:
    own = {
        "key": "hq-monthly", "title": "中心机房月度巡检", "kind": "monthly", "version": 1,
        "sections": [{"key": "env", "section_title": "环境", "items": [
            {"key": "env.temperature", "label": "温度", "type": "number", "unit": "°C",
             "min": 18, "max": 24, "limits": [-40, 85], "required": True},
            {"key": "env.ups_load", "label": "UPS 负载", "type": "number", "unit": "%",
             "max": 80, "limits": [0, 100], "required": True, "ticket_level": 2},
        ]}],
    }
    settings = inspections.configure_site(board, "HQ-DC", template_json=json.dumps(own))
    assert settings.own_template and settings.template_key == "hq-monthly"
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-16T09:00"))
    assert [e.key for e in draft.entries] == ["env.temperature", "env.ups_load"]
    inspections.set_value(board, draft.id, "env.temperature", "22")
    inspections.set_value(board, draft.id, "env.ups_load", "91")
    result = inspections.submit(board, draft.id)
    ticket = tickets.view(board, result.tickets[0])
    assert ticket.level == 2 and ticket.title == "Inspection finding: UPS 负载 91 % (≤ 80 %)"
    inspections.configure_site(board, "HQ-DC", default_template=True)
    assert inspections.start(board, "HQ-DC", at=at("2026-11-17T09:00")).template.key == "monthly"


# ---------------------------------------------------------------- schedule


def test_due_lists_every_site_overdue_first(board: Any) -> None:
    rows = inspections.due(board, at("2026-11-10T09:00"))
    assert [(r.site, r.next_due.isoformat(), r.overdue) for r in rows] == [
        ("FLOOD-CC", "2026-11-16", False), ("HQ-DC", "2026-11-16", False),
        ("QINGSHAN", "2026-11-16", False),
    ]
    inspections.configure_site(board, "QINGSHAN", day_of_month=5)  # 2026-11-05 is a Thursday
    rows = inspections.due(board, at("2026-11-10T09:00"))
    assert (rows[0].site, rows[0].overdue) == ("QINGSHAN", True)
    assert rows[0].to_json(board.zone) == {
        "site": "QINGSHAN", "last_done": None, "next_due": "2026-11-05", "overdue": True,
    }
    assert inspections.overdue_count(board, at("2026-11-10T09:00")) == 1
    # The 15th is a Sunday: overdue only from Tuesday the 17th.
    assert inspections.overdue_count(board, at("2026-11-16T23:59")) == 1
    assert inspections.overdue_count(board, at("2026-11-17T00:00")) == 3


def test_a_submitted_monthly_inspection_moves_the_site_to_next_month(board: Any) -> None:
    draft = inspections.start(board, "HQ-DC", at=at("2026-11-18T09:00"))
    assert inspections.due(board, at("2026-11-18T10:00"))[1].draft == draft.id
    fill(board, draft.id, at("2026-11-18T09:30"))
    inspections.submit(board, draft.id, at=at("2026-11-18T11:00"))
    hq = next(r for r in inspections.due(board, at("2026-11-20T09:00")) if r.site == "HQ-DC")
    assert (hq.next_due.isoformat(), hq.overdue, hq.due_now, hq.draft) == ("2026-12-15", False, False, None)
    assert hq.to_json(board.zone)["last_done"] == "2026-11-18T11:00:00+08:00"
    # December: due again from the 1st, not overdue until after the 15th.
    hq = next(r for r in inspections.due(board, at("2026-12-01T00:00")) if r.site == "HQ-DC")
    assert (hq.next_due.isoformat(), hq.overdue, hq.due_now) == ("2026-12-15", False, True)


def test_adhoc_inspections_do_not_count(board: Any) -> None:
    adhoc = inspections.start(board, "HQ-DC", "adhoc", at=at("2026-11-05T09:00"))
    inspections.set_value(board, adhoc.id, "change.plan", "存储扩容")
    for key, value in (("status.devices", "ok"), ("perf.host_load", "30"),
                       ("perf.backup_restore_test", "ok"), ("sec.host", "ok"),
                       ("sec.backup", "ok"), ("pm.fault_logs", "done")):
        inspections.set_value(board, adhoc.id, key, value)
    inspections.submit(board, adhoc.id, at=at("2026-11-05T10:00"))
    hq = next(r for r in inspections.due(board, at("2026-11-20T09:00")) if r.site == "HQ-DC")
    assert hq.overdue and hq.last_done is None


def test_february_2026_spring_festival_and_a_month_end_day(board: Any) -> None:
    inspections.configure_site(board, "HQ-DC", day_of_month=31)
    # January's day (Saturday the 31st) moves to Monday 2 February, and is owed there.
    hq = next(r for r in inspections.due(board, at("2026-02-01T10:00")) if r.site == "HQ-DC")
    assert (hq.period, hq.next_due.isoformat(), hq.overdue) == ((2026, 1), "2026-02-02", False)
    draft = inspections.start(board, "HQ-DC", at=at("2026-02-02T09:00"))
    assert draft.period == (2026, 1)  # it counts for January
    fill(board, draft.id, at("2026-02-02T09:10"))
    inspections.submit(board, draft.id, at=at("2026-02-02T10:00"))
    hq = next(r for r in inspections.due(board, at("2026-02-03T10:00")) if r.site == "HQ-DC")
    # February: the 28th is a Saturday worked in exchange for the Spring Festival.
    assert (hq.period, hq.next_due.isoformat(), hq.due_now) == ((2026, 2), "2026-02-28", True)
    # The default site's 15th falls in the Spring Festival holiday: due on the 24th.
    qs = next(r for r in inspections.due(board, at("2026-02-20T10:00")) if r.site == "QINGSHAN")
    assert (qs.next_due.isoformat(), qs.overdue) == ("2026-02-24", False)


def test_calendar_overrides_move_the_inspection_day(board: Any) -> None:
    from dutyboard.service import calendar

    calendar.set_day(board, calendar.parse_day("2026-12-15"), False, "停电检修")
    hq = next(r for r in inspections.due(board, at("2026-12-01T10:00")) if r.site == "HQ-DC")
    assert hq.next_due.isoformat() == "2026-12-16"


def test_list_filters(board: Any) -> None:
    a = inspections.start(board, "HQ-DC", at=at("2026-11-10T09:00")).id
    b = inspections.start(board, "QINGSHAN", "adhoc", at=at("2026-11-11T09:00")).id
    assert [s.id for s in inspections.list_inspections(board)] == [b, a]
    assert [s.id for s in inspections.list_inspections(board, site="HQ-DC")] == [a]
    assert [s.id for s in inspections.list_inspections(board, kind="adhoc")] == [b]
    assert inspections.list_inspections(board, status="submitted") == []
    with pytest.raises(BadInput):
        inspections.list_inspections(board, status="lost")
