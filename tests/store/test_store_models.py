"""The models on both backends: instants, optimistic locking, uniqueness and referential rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from peewee import IntegrityError

from dutyboard.store import db as store
from dutyboard.store.models import (
    Asset,
    CalendarOverride,
    Engineer,
    Escalation,
    Event,
    FaultReport,
    Site,
    Ticket,
)

SH = ZoneInfo("Asia/Shanghai")
REPORTED = datetime(2026, 11, 25, 10, 0, 0, 123456, tzinfo=SH)


def _ticket(**fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "title": "存储宕机",
        "level": 2,
        "initial_level": 2,
        "base_level": 2,
        "service": "hardware",
        "channel": "phone",
        "opened_by": "zhangwei",
        "reported_at": REPORTED,
        "restore_due": REPORTED + timedelta(hours=4),
    }
    values.update(fields)
    return store.run_write(Ticket.create, **values)


# ---------------------------------------------------------------- instants


def test_instants_come_back_aware_in_utc(db: Any) -> None:
    tid = _ticket().id
    row = Ticket.get_by_id(tid)
    assert row.reported_at == REPORTED
    assert row.reported_at.tzinfo is UTC
    assert row.reported_at.microsecond == 123456
    assert row.restore_due == datetime(2026, 11, 25, 6, 0, 0, 123456, tzinfo=UTC)
    assert row.acknowledged_at is None


def test_instants_are_stored_as_utc_wall_time(db: Any) -> None:
    tid = _ticket(reported_at=datetime(2026, 11, 25, 10, 0, tzinfo=SH)).id
    (raw,) = db.execute_sql(
        f"SELECT reported_at FROM ticket WHERE id = {db.param}", (tid,)
    ).fetchone()
    text = raw if isinstance(raw, str) else raw.isoformat(sep=" ")
    assert text == "2026-11-25 02:00:00"


def test_naive_datetimes_are_refused_and_nothing_is_written(db: Any) -> None:
    with pytest.raises(ValueError, match="naive"):
        _ticket(reported_at=datetime(2026, 11, 25, 10, 0))
    with pytest.raises(ValueError, match="naive"):
        Ticket.select().where(Ticket.restore_due < datetime(2026, 11, 25)).count()
    with pytest.raises(TypeError):
        _ticket(reported_at="2026-11-25 10:00")
    assert Ticket.select().count() == 0


def test_instants_compare_across_zones(db: Any) -> None:
    early = _ticket(restore_due=datetime(2026, 11, 25, 1, 0, tzinfo=UTC)).id
    _ticket(restore_due=datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    at = datetime(2026, 11, 25, 10, 0, tzinfo=SH)  # 02:00 UTC
    assert [t.id for t in Ticket.select().where(Ticket.restore_due < at)] == [early]
    newest = Ticket.select().order_by(Ticket.restore_due.desc()).first()
    assert newest.restore_due == datetime(2026, 11, 25, 20, 0, tzinfo=SH)


def test_an_odd_offset_round_trips(db: Any) -> None:
    odd = datetime(2026, 3, 1, 23, 59, 59, tzinfo=timezone(timedelta(hours=5, minutes=45)))
    assert Ticket.get_by_id(_ticket(reported_at=odd).id).reported_at == odd


# ---------------------------------------------------------------- optimistic locking


def test_update_versioned_refuses_a_stale_version_and_changes_nothing(db: Any) -> None:
    tid = _ticket().id
    assert store.run_write(Ticket.update_versioned, tid, 1, status="acknowledged", owner="lina")
    row = Ticket.get_by_id(tid)
    assert (row.status, row.owner, row.version) == ("acknowledged", "lina", 2)
    assert not store.run_write(Ticket.update_versioned, tid, 1, status="closed", owner="x")
    row = Ticket.get_by_id(tid)
    assert (row.status, row.owner, row.version) == ("acknowledged", "lina", 2)
    assert not Ticket.update_versioned(tid + 1, 1, status="closed")  # no such ticket


def test_update_versioned_ignores_a_version_among_the_fields(db: Any) -> None:
    tid = _ticket().id
    assert Ticket.update_versioned(tid, 1, version=99, level=1)
    assert Ticket.get_by_id(tid).version == 2


# ---------------------------------------------------------------- rules of the schema


def test_an_escalation_is_recorded_once(db: Any) -> None:
    tid = _ticket(level=4, initial_level=4, base_level=4).id
    at = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    fields = {"ticket": tid, "at": at, "from_level": 4, "to_level": 3, "kind": "auto"}
    store.run_write(Escalation.create, **fields)
    with pytest.raises(IntegrityError):
        store.run_write(Escalation.create, **fields)
    same_instant_elsewhere = dict(fields, at=at.astimezone(SH))  # the same instant
    with pytest.raises(IntegrityError):
        store.run_write(Escalation.create, **same_instant_elsewhere)
    store.run_write(Escalation.create, **dict(fields, kind="manual"))
    assert Escalation.select().count() == 2


def test_events_keep_their_ticket(db: Any) -> None:
    tid = _ticket().id
    store.run_write(
        Event.create,
        ticket=tid,
        at=REPORTED,
        recorded_at=REPORTED,
        by="zhangwei",
        kind="opened",
        details=Event.dump_details({"title": "存储宕机", "level": 2}),
    )
    event = Event.get()
    assert event.details_dict == {"level": 2, "title": "存储宕机"}
    assert "存储宕机" in event.details  # readable in the database, not \\u escapes
    with pytest.raises(IntegrityError):
        store.run_write(Ticket.delete_by_id, tid)  # the audit trail is never orphaned
    with pytest.raises(IntegrityError):
        store.run_write(
            Event.create, ticket=tid + 100, at=REPORTED, recorded_at=REPORTED, by="x", kind="note"
        )
    assert Ticket.select().count() == 1 and Event.select().count() == 1


def test_an_event_may_belong_to_no_ticket(db: Any) -> None:
    store.run_write(
        Event.create, ticket=None, at=REPORTED, recorded_at=REPORTED, by="x", kind="calendar_set"
    )
    assert Event.get().details_dict == {}
    assert Event.get().ticket is None


def test_one_fault_report_per_ticket(db: Any) -> None:
    tid = _ticket().id
    fields = {"ticket": tid, "cause": "电源", "submitted_at": REPORTED, "submitted_by": "lina"}
    store.run_write(FaultReport.create, **fields)
    with pytest.raises(IntegrityError):
        store.run_write(FaultReport.create, **fields)
    report = FaultReport.get()
    assert (report.response, report.precautions) == ("", "")


def test_roster_codes_are_unique(db: Any) -> None:
    site = store.run_write(Site.create, code="HQ-DC", name="中心机房")
    with pytest.raises(IntegrityError):
        store.run_write(Site.create, code="HQ-DC", name="again")
    store.run_write(Asset.create, code="HQ-SRV-01", site=site, name="应用服务器", kind="server")
    with pytest.raises(IntegrityError):
        store.run_write(Asset.create, code="HQ-SRV-01", site=site, name="x", kind="server")
    store.run_write(Engineer.create, login="zhangwei", name="张伟", role="dedicated_engineer")
    with pytest.raises(IntegrityError):
        store.run_write(Engineer.create, login="zhangwei", name="x", role="local_manager")
    engineer = Engineer.get()
    assert (engineer.access, engineer.active, engineer.phone) == ("engineer", True, "")
    assert Asset.get().site.code == "HQ-DC" and Asset.get().model == ""


def test_a_ticket_keeps_the_codes_people_typed(db: Any) -> None:
    tid = _ticket(site="HQ-DC", asset="HQ-STO-01", owner="zhangwei").id
    row = Ticket.get_by_id(tid)
    assert (row.site, row.asset, row.owner) == ("HQ-DC", "HQ-STO-01", "zhangwei")
    assert (row.status, row.crisis, row.version, row.description) == ("open", False, 1, "")


def test_calendar_overrides_upsert_by_day(db: Any) -> None:
    day = date(2027, 2, 6)

    def set_day(working: bool) -> None:
        (
            CalendarOverride.insert(day=day, working=working, set_by="x", set_at=REPORTED)
            .on_conflict(
                conflict_target=[CalendarOverride.day],
                update={CalendarOverride.working: working},
            )
            .execute()
        )

    store.run_write(set_day, True)
    store.run_write(set_day, False)
    row = CalendarOverride.get()
    assert (row.day, row.working, row.note, row.set_at) == (day, False, "", REPORTED)
    assert CalendarOverride.select().count() == 1
