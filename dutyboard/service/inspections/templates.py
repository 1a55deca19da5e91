"""Inspection templates: the checklists shipped with dutyboard, and a site's own from JSON."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dutyboard.domain import inspection as rules
from dutyboard.i18n import _
from dutyboard.service.errors import BadInput

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
#: The shipped template each kind starts from.
DEFAULT_TEMPLATES = {"monthly": "monthly", "adhoc": "adhoc"}


@cache
def builtin_template(key: str) -> rules.Template:
    """A template shipped in dutyboard/templates (read once per process)."""
    path = TEMPLATE_DIR / f"{key}.json"
    if not key.replace("_", "").replace("-", "").isalnum() or not path.is_file():
        raise BadInput(
            _("There is no inspection template {key!r} (shipped: {keys})").format(
                key=key, keys=", ".join(template_keys())
            )
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return rules.Template.from_json(data)
    except (json.JSONDecodeError, rules.TemplateError) as error:
        raise BadInput(
            _("The template {path} is broken: {error}").format(path=path, error=error)
        ) from None


def template_keys() -> list[str]:
    """The keys of the shipped templates."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.json"))


def parse_template(text: str) -> rules.Template:
    """A site's own template from its JSON text; BadInput saying what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(_("The template is not valid JSON: {error}").format(error=error)) from None
    try:
        return rules.Template.from_json(data)
    except rules.TemplateError as error:
        raise BadInput(str(error)) from None
