"""Deadline computations per second on the business and the 24x7 calendars.

Run: python benchmarks/bench_calendar.py [--n 100000] [--seed 1]
Random starts over 2025-2027 and random budgets from 15 min to 72 h; 2027 (and 2028, for dues
past New Year) fall back to Monday-Friday. The first pass fills the business calendar's per-day
cache; the figure that matters is the warm one (a board keeps its calendar for the whole shift).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dutyboard.domain.calendar import BusinessCalendar, Calendar, TwentyFourSeven

ZONE = ZoneInfo("Asia/Shanghai")
ORIGIN = datetime(2025, 1, 1, tzinfo=ZONE)
SPAN = int((datetime(2028, 1, 1, tzinfo=ZONE) - ORIGIN).total_seconds())


def cases(n: int, seed: int) -> list[tuple[datetime, int]]:
    """Random (start, budget) pairs, starts to the second over three years."""
    rng = random.Random(seed)
    return [
        (ORIGIN + timedelta(seconds=rng.randrange(SPAN)), rng.randint(15 * 60, 72 * 3600))
        for _ in range(n)
    ]


def rate(cal: Calendar, work: list[tuple[datetime, int]]) -> float:
    """Deadlines per second over the whole list."""
    add = cal.add
    started = time.perf_counter()
    for start, seconds in work:
        add(start, seconds)
    return len(work) / (time.perf_counter() - started)


def elapsed_rate(cal: Calendar, work: list[tuple[datetime, datetime]]) -> float:
    elapsed = cal.elapsed
    started = time.perf_counter()
    for start, end in work:
        elapsed(start, end)
    return len(work) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = cases(args.n, args.seed)
    told: list[int] = []
    business = BusinessCalendar(ZONE, on_unknown_year=told.append)
    cold = rate(business, work[: min(2000, len(work))])
    warm = max(rate(business, work) for _ in range(3))
    wall = max(rate(TwentyFourSeven(), work) for _ in range(3))
    spans = [(start, business.add(start, seconds)) for start, seconds in work]
    measured = max(elapsed_rate(business, spans) for _ in range(3))
    print(
        f"business deadlines per second: {warm:,.0f}  (first 2,000 with a cold cache: {cold:,.0f}/s)"
    )
    print(f"24x7 deadlines per second: {wall:,.0f}")
    print(f"business elapsed() per second (same spans): {measured:,.0f}")
    print(
        f"  ({args.n:,} random starts over 2025-2027, budgets 15 min to 72 h; "
        f"fallback years announced: {sorted(told)}; at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
    )


if __name__ == "__main__":
    main()
