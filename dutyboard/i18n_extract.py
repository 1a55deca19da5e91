"""Message extraction for the catalogues: babel's Python extractor and one for inspection templates.

Used by scripts/update_catalogs.py and by the catalogue test, never at run time (it imports babel).
The mapping lives in babel.cfg at the repository root; `pybabel extract -F babel.cfg dutyboard`
reads the same file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from dutyboard import __version__
from dutyboard.i18n import DOMAIN

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.dirname(PACKAGE_DIR)
MAPPING_FILE = os.path.join(ROOT_DIR, "babel.cfg")
#: Comments above a message that start with this tag reach the translator.
COMMENT_TAGS = ("TRANSLATORS:",)
#: Keys of an inspection template whose strings a user sees.
TEMPLATE_KEYS = frozenset({"label", "title", "section_title", "choices_labels"})


def extract_template_json(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield the user-visible strings of an inspection template, in babel's extractor form."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = getattr(fileobj, "name", "template")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name}: not valid JSON: {error}") from None
    offset = 0
    for key, message in _visible_strings(document):
        position = _find(text, message, offset)
        if position >= 0:
            offset = position + 1
        line = text.count("\n", 0, max(position, 0)) + 1
        yield line, None, message, [f"template {key}"]


def _visible_strings(node: Any, key: str | None = None) -> Iterator[tuple[str, str]]:
    """Every non-empty string under a user-visible key, in document order, with that key."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from _visible_strings(child, child_key if child_key in TEMPLATE_KEYS else key)
    elif isinstance(node, list):
        for child in node:
            yield from _visible_strings(child, key)
    elif isinstance(node, str) and key is not None and node.strip():
        yield key, node


def _find(text: str, message: str, start: int) -> int:
    """Where a string literal sits in the JSON text (for the catalogue's line reference), or -1."""
    for literal in (json.dumps(message, ensure_ascii=False), json.dumps(message)):
        position = text.find(literal, start)
        if position < 0:
            position = text.find(literal)
        if position >= 0:
            return position
    return -1


def extract_catalog(package_dir: str = PACKAGE_DIR, mapping_file: str = MAPPING_FILE) -> Catalog:
    """Every message the code and templates use, as a template catalogue (the .pot)."""
    with open(mapping_file, encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, mapping_file)  # type: ignore[no-untyped-call]
    catalog = Catalog(
        project="dutyboard",
        version=__version__,
        domain=DOMAIN,
        fuzzy=False,
        charset="utf-8",
        copyright_holder="dutyboard contributors",
    )
    prefix = os.path.basename(os.path.normpath(package_dir))
    for filename, lineno, message, comments, context in extract_from_dir(
        package_dir,
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        path = "/".join((prefix, *filename.replace(os.sep, "/").split("/")))
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog
