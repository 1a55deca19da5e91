"""Who acted through whom, delegates on the roster, the version a ticket's state last changed at.

- `engineer.delegate`: the login may name someone else with `--by` (a monitoring account acting
  for people); the audit trail then records both.
- `event.via`: the login an event was written through when it names someone else as `by`.
- `ticket.state_version`: the version at which status, level, owner or crisis last changed, so
  `--expect-version N` refuses only a change to those fields made after N (a colleague's note
  in between is no conflict). Existing tickets start at their current version.

Columns are added with a default in the database, so existing rows need no rewrite.
"""

from __future__ import annotations

from typing import Any

from peewee import SQL, BooleanField, CharField, IntegerField


def up(migrator: Any, db: Any) -> None:
    """Add the three columns and start each ticket's state version at its version."""
    migrator.migrate(
        migrator.add_column(
            "engineer", "delegate",
            BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]), allow_not_null=True,
        ),
        migrator.add_column("event", "via", CharField(null=True)),
        migrator.add_column(
            "ticket", "state_version",
            IntegerField(default=1, constraints=[SQL("DEFAULT 1")]), allow_not_null=True,
        ),
    )
    table = f'"{migrator.schema}".ticket' if migrator.schema else "ticket"
    db.execute_sql(f"UPDATE {table} SET state_version = version")


def down(migrator: Any, db: Any) -> None:
    """Drop the three columns."""
    migrator.migrate(
        migrator.drop_column("ticket", "state_version"),
        migrator.drop_column("event", "via"),
        migrator.drop_column("engineer", "delegate"),
    )
