"""Errors every operation may raise, each with the exit status of the contract.

Besides these refusals, an operation may fail because of the database itself: StoreError
(it cannot be opened or reached; StoreBusy when other sessions kept it locked too long; exit
status 1), which the store raises with a plain message and the service lets through as it is.
"""

from __future__ import annotations

from dutyboard.store.db import StoreBusy, StoreError


class ServiceError(Exception):
    """A refusal with a plain message; nothing was changed."""

    exit_status = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(ServiceError):
    """Bad input or a transition that does not fit (exit status 2)."""

    exit_status = 2


class NotFound(BadInput):
    """The record named does not exist (bad input, exit status 2)."""


class Conflict(ServiceError):
    """Someone else changed the same record first (exit status 3); retry."""

    exit_status = 3


class Forbidden(ServiceError):
    """The person's role does not allow the action (exit status 2: the request cannot be done)."""

    exit_status = 2


__all__ = [
    "BadInput",
    "Conflict",
    "Forbidden",
    "NotFound",
    "ServiceError",
    "StoreBusy",
    "StoreError",
]
