"""The archive's rules accept what people write and refuse the rest, for CLI, CSV and forms."""

from __future__ import annotations

from datetime import date

import pytest

from dutyboard.domain import archive as rules


@pytest.mark.parametrize("code", ["HQ-DC", "HQ-SRV-01", "水文站-1", "a.b_c"])
def test_codes_people_type_are_kept(code: str) -> None:
    assert rules.check_code(f"  {code} ", "site") == code


@pytest.mark.parametrize("code", ["", "   ", "HQ DC", "A,B", 'A"B', "x" * 41])
def test_codes_with_spaces_commas_quotes_or_too_long_are_refused(code: str) -> None:
    with pytest.raises(rules.ArchiveError):
        rules.check_code(code, "site")


@pytest.mark.parametrize(
    "phone", ["0571-63701234", "+86 138 0571 1001", "13805711001", "(0571) 6370 1234 转 802"]
)
def test_phone_numbers_as_written(phone: str) -> None:
    assert rules.check_phone(phone) == phone


@pytest.mark.parametrize(
    "phone", ["call me", "123", "138-abc-1234", "12345678901234567890123456789012345678901"]
)
def test_what_is_not_a_phone_number_is_refused(phone: str) -> None:
    with pytest.raises(rules.ArchiveError, match="phone"):
        rules.check_phone(phone)


def test_email_addresses() -> None:
    assert rules.check_email(" li@slj.linan.gov.cn ") == "li@slj.linan.gov.cn"
    assert rules.check_email("") == ""
    for bad in ("li@", "li.linan.gov.cn", "li @x.cn", "a@b"):
        with pytest.raises(rules.ArchiveError):
            rules.check_email(bad)


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("12", 12), (" 3 ", 3), (5, 5)])
def test_quantities_are_whole_numbers(text: str | int, value: int) -> None:
    assert rules.check_quantity(text, "qty") == value


@pytest.mark.parametrize("text", ["-1", "1.5", "many", "", "1e3", True])
def test_negative_or_non_integer_quantities_are_refused(text: str | bool) -> None:
    with pytest.raises(rules.ArchiveError):
        rules.check_quantity(text, "qty")  # type: ignore[arg-type]


def test_dates_are_year_month_day() -> None:
    assert rules.parse_date("2024-03-15", "accepted") == date(2024, 3, 15)
    assert rules.parse_date("", "accepted") is None
    for bad in ("2024/03/15", "15.03.2024", "2024-13-01", "2024-3-5", "yesterday"):
        with pytest.raises(rules.ArchiveError, match="YYYY-MM-DD"):
            rules.parse_date(bad, "accepted")


def test_kinds_stores_and_reasons_are_the_plans() -> None:
    assert rules.check_kind(" Storage ") == "storage"
    assert rules.check_store("hangzhou") == "hangzhou"
    assert rules.check_billable_reason("force_majeure") == "force_majeure"
    for check, bad in (
        (rules.check_kind, "printer"),
        (rules.check_store, "shanghai"),
        (rules.check_billable_reason, "customer_was_rude"),
    ):
        with pytest.raises(rules.ArchiveError, match="must be one of"):
            check(bad)


def test_yes_and_no_in_english_and_chinese() -> None:
    assert rules.parse_yes_no("是", "reporter") is True
    assert rules.parse_yes_no("No", "reporter") is False
    assert rules.parse_yes_no("", "reporter", default=True) is True
    with pytest.raises(rules.ArchiveError):
        rules.parse_yes_no("maybe", "reporter")


def test_free_service_runs_three_years_from_acceptance() -> None:
    accepted = date(2023, 11, 25)
    assert rules.free_service_end(accepted) == date(2026, 11, 25)
    assert rules.in_free_service(accepted, date(2026, 11, 24))
    assert not rules.in_free_service(accepted, date(2026, 11, 25))
    assert rules.in_free_service(None, date(2099, 1, 1))


def test_acceptance_on_29_february_ends_on_1_march() -> None:
    assert rules.free_service_end(date(2024, 2, 29)) == date(2027, 3, 1)


def test_low_stock_is_below_the_minimum_and_drops_once() -> None:
    assert rules.is_low(0, 1) and not rules.is_low(1, 1)
    assert rules.dropped_low((1, 1), (0, 1))
    assert not rules.dropped_low((0, 1), (0, 1))  # already low: not again
    assert rules.dropped_low(None, (0, 2))  # a new part that starts low
    assert rules.dropped_low((3, 2), (3, 4))  # the minimum raised above the stock
    assert not rules.dropped_low((0, 0), (0, 0))


def test_the_closest_codes_to_a_mistyped_one() -> None:
    known = ["HQ-SRV-01", "HQ-SRV-02", "HQ-STO-01", "FCC-SRV-01", "QS-RTU-GW"]
    assert rules.closest("hq-srv-01", known)[0] == "HQ-SRV-01"
    assert set(rules.closest("HQ-SRV-1", known)[:2]) == {"HQ-SRV-01", "HQ-SRV-02"}
    assert rules.closest("QS", known) == ["QS-RTU-GW"]
    assert rules.closest("ZZZZZZZZ", known) == []
