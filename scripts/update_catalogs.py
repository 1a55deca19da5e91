"""Bring the message catalogues up to date with the code: extract, write the .pot, update the .po files.

Run from anywhere: /work/venv/bin/python scripts/update_catalogs.py [--drop-obsolete] [--check]

babel update semantics: existing translations are kept, new messages are added (a new message
close to a removed one gets its old translation marked fuzzy for review), and messages the code
no longer uses stay at the end of the .po as obsolete (#~) entries until --drop-obsolete.
tests/test_i18n.py fails while any zh_CN message is untranslated or fuzzy, or obsolete.
Files whose messages did not change are left alone (no date-only churn).
"""

from __future__ import annotations

import argparse
import os
import sys
from io import BytesIO

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT_DIR not in sys.path:
    sys.path.insert(0, ROOT_DIR)

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from dutyboard.i18n import DOMAIN, LANGUAGES, LOCALE_DIR
from dutyboard.i18n_extract import extract_catalog

TEMPLATE_PATH = os.path.join(LOCALE_DIR, f"{DOMAIN}.pot")
#: Header lines that change on every run and say nothing about the messages.
_VOLATILE = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')


def po_path(language: str) -> str:
    """Where a language's catalogue lives in the repository."""
    return os.path.join(LOCALE_DIR, language, "LC_MESSAGES", f"{DOMAIN}.po")


def render(catalog: Catalog, *, drop_obsolete: bool = False) -> bytes:
    """The .po/.pot text of a catalogue, without line numbers so unrelated edits cause no churn."""
    buffer = BytesIO()
    write_po(buffer, catalog, include_lineno=False, ignore_obsolete=drop_obsolete)
    return buffer.getvalue()


def _messages_part(text: bytes) -> bytes:
    """The text without the lines that change on every run."""
    return b"\n".join(line for line in text.splitlines() if not line.startswith(_VOLATILE))


def write_if_changed(path: str, text: bytes, *, check: bool) -> bool:
    """Write the file unless only its dates would change; True when its messages changed."""
    try:
        with open(path, "rb") as existing:
            if _messages_part(existing.read()) == _messages_part(text):
                return False
    except FileNotFoundError:
        pass
    if not check:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(text)
    return True


def updated_catalog(template: Catalog, language: str) -> Catalog:
    """A language's catalogue updated to the template, or a new empty one."""
    path = po_path(language)
    if os.path.exists(path):
        with open(path, "rb") as po:
            catalog = read_po(po, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, fuzzy=False, charset="utf-8")
        catalog.project, catalog.version = template.project, template.version
        catalog.copyright_holder = template.copyright_holder
    # English msgstrs stay empty (the msgid is the text): no fuzzy guesses to review there.
    catalog.update(template, no_fuzzy_matching=language == "en")
    catalog.fuzzy = False
    return catalog


def main(argv: list[str] | None = None) -> int:
    """Extract, then write the template and every language's catalogue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--drop-obsolete", action="store_true", help="remove messages the code no longer uses"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a catalogue is out of date"
    )
    args = parser.parse_args(argv)
    try:
        template = extract_catalog()
    except (ValueError, SyntaxError, OSError) as error:
        print(f"update_catalogs: extraction failed: {error}", file=sys.stderr)
        return 2
    changed = []
    if write_if_changed(TEMPLATE_PATH, render(template), check=args.check):
        changed.append(TEMPLATE_PATH)
    for language in LANGUAGES:
        catalog = updated_catalog(template, language)
        text = render(catalog, drop_obsolete=args.drop_obsolete)
        if write_if_changed(po_path(language), text, check=args.check):
            changed.append(po_path(language))
        missing = [
            m.id for m in catalog if m.id and language != "en" and (not _translated(m) or m.fuzzy)
        ]
        if missing:
            print(f"{language}: {len(missing)} message(s) to translate or review")
        if catalog.obsolete and not args.drop_obsolete:
            print(
                f"{language}: {len(catalog.obsolete)} obsolete message(s); --drop-obsolete removes them"
            )
    for path in changed:
        print(("out of date: " if args.check else "updated: ") + os.path.relpath(path, ROOT_DIR))
    return 1 if args.check and changed else 0


def _translated(message: object) -> bool:
    """Whether every form of a message has a non-empty translation."""
    string = message.string  # type: ignore[attr-defined]
    forms = string if isinstance(string, (list, tuple)) else (string,)
    return all(forms)


if __name__ == "__main__":
    sys.exit(main())
