"""The catalogues match the code, zh_CN is complete, and the language follows config and environment.

When a catalogue test fails, run `/work/venv/bin/python scripts/update_catalogs.py`, translate
the new zh_CN entries in dutyboard/locale/zh_CN/LC_MESSAGES/dutyboard.po, and drop obsolete ones
with `--drop-obsolete`.
"""

from __future__ import annotations

import gettext
import io
import os
import string
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from dutyboard import i18n
from dutyboard.i18n_extract import extract_catalog, extract_template_json

LOCALE = Path(i18n.LOCALE_DIR)
ZH_PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "dutyboard.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "dutyboard.po"
POT = LOCALE / "dutyboard.pot"

Key = tuple[str, str | None]


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """Leave the process in the language it was in, whatever a test switched to."""
    saved = i18n._translation, i18n._language
    yield
    i18n._translation, i18n._language = saved


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """Every message the code and the templates use, extracted now with babel.cfg."""
    return extract_catalog()


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale, domain=i18n.DOMAIN)


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _keys(catalog: Catalog) -> set[Key]:
    return {_key(m) for m in catalog if m.id}


def _show(keys: Iterable[Key]) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "")
        for msgid, ctx in sorted(keys, key=str)
    )


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


HINT = "run scripts/update_catalogs.py, then translate or drop obsolete entries"


# (a) the catalogues and the code agree -------------------------------------------------------


def test_code_uses_messages(extracted: Catalog) -> None:
    """Guard the guard: extraction finds messages from python files (with context) at all."""
    keys = _keys(extracted)
    assert ("Mon", None) in keys
    assert ("L1 urgent", "level") in keys


@pytest.mark.parametrize("path", [ZH_PO, EN_PO, POT], ids=["zh_CN", "en", "pot"])
def test_catalogue_holds_exactly_the_messages_the_code_uses(extracted: Catalog, path: Path) -> None:
    catalogue = _read(path)
    code, held = _keys(extracted), _keys(catalogue)
    missing, unused = code - held, held - code
    assert not missing, (
        f"{path.name}: messages used in the code but missing ({HINT}):\n{_show(missing)}"
    )
    assert not unused, f"{path.name}: messages the code no longer uses ({HINT}):\n{_show(unused)}"
    obsolete = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogue.obsolete.values()
    }
    assert not obsolete, (
        f"{path.name}: obsolete entries, drop them (--drop-obsolete):\n{_show(obsolete)}"
    )


def test_every_zh_cn_message_is_translated(extracted: Catalog) -> None:
    catalogue = _read(ZH_PO, "zh_CN")
    untranslated = {_key(m) for m in catalogue if m.id and not all(_forms(m.string))}
    fuzzy = {_key(m) for m in catalogue if m.id and m.fuzzy}
    assert not untranslated, f"zh_CN messages without a translation:\n{_show(untranslated)}"
    assert not fuzzy, (
        f"zh_CN translations marked fuzzy (review, then remove the flag):\n{_show(fuzzy)}"
    )


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_CN", "en"])
def test_catalogue_header_is_not_fuzzy(path: Path) -> None:
    """babel's compile skips a whole catalogue whose header is fuzzy."""
    assert not _read(path).fuzzy


def test_zh_cn_plural_forms() -> None:
    assert _read(ZH_PO, "zh_CN").plural_forms == "nplurals=1; plural=0;"


# (d) placeholders survive translation --------------------------------------------------------


def _fields(text: str) -> set[tuple[str, str | None]]:
    """The named replacement fields of a format string, with their conversion (!r)."""
    fields = set()
    for _literal, name, _spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add((name.split(".")[0].split("[")[0], conversion))
    return fields


@pytest.mark.parametrize("path", [ZH_PO, EN_PO], ids=["zh_CN", "en"])
def test_translations_keep_the_placeholders(path: Path) -> None:
    problems = []
    for message in _read(path):
        if not message.id:
            continue
        ids = _forms(message.id)
        for n, translated in enumerate(_forms(message.string)):
            if not translated:
                continue
            original = ids[min(n, len(ids) - 1)]
            try:
                expected = _fields(original)
            except ValueError:
                continue  # not a format string: braces are literal
            try:
                got = _fields(translated)
            except ValueError as error:
                problems.append(f"{original!r} -> {translated!r}: {error}")
                continue
            if got != expected:
                problems.append(
                    f"{original!r} -> {translated!r}: {sorted(got)} != {sorted(expected)}"
                )
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_placeholder_check_catches_a_renamed_field() -> None:
    assert _fields("Ticket {id} not found") != _fields("没有工单 {ID}")
    assert _fields("{value!r} is wrong") != _fields("{value} 不对")
    assert _fields("{year}-{month:02d}") == _fields("{year}年{month}月")


# (b) language selection ----------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN"}, "zh_CN"),
        ({"LANG": "zh"}, "zh_CN"),
        ({"LANG": "zh_CN.utf8"}, "zh_CN"),
        ({"LANG": "zh-CN"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_TW.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "", "LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_language_from_environment(
    clean_env: pytest.MonkeyPatch, env: dict[str, str], language: str
) -> None:
    for variable, value in env.items():
        clean_env.setenv(variable, value)
    assert i18n.setup_language() == language
    assert i18n.current_language() == language


@pytest.mark.parametrize(
    ("config", "env", "language"),
    [
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("zh_CN", {"LC_ALL": "en_US.UTF-8"}, "zh_CN"),
        ("zh", {}, "zh_CN"),
        ("de", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("", {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ("  ", {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ],
)
def test_config_language_wins(
    clean_env: pytest.MonkeyPatch, config: str | None, env: dict[str, str], language: str
) -> None:
    for variable, value in env.items():
        clean_env.setenv(variable, value)
    assert i18n.setup_language(config) == language
    assert i18n.current_language() == language


def test_language_from_a_given_environment() -> None:
    assert i18n.language_from_env({"LANG": "zh_CN.GB18030"}) == "zh_CN"
    assert i18n.language_from_env({}) == "en"


# (c) translations come back, missing ones fall back to English ----------------------------------


def test_chinese_comes_back() -> None:
    i18n.setup_language("zh_CN")
    assert i18n._("Cause") == "起因"
    assert i18n._("Precautions") == "今后注意事项"
    assert i18n.pgettext("level", "L1 urgent") == "一级 紧急"
    assert i18n._("There is no ticket {id}").format(id=7) == "没有编号为 7 的工单"
    i18n.setup_language("en")
    assert i18n._("Cause") == "Cause"
    assert i18n.pgettext("level", "L1 urgent") == "L1 urgent"


def test_unknown_message_comes_back_in_english() -> None:
    i18n.setup_language("zh_CN")
    assert i18n._("A message no catalogue has") == "A message no catalogue has"
    assert i18n.ngettext("{n} ticket", "{n} tickets", 2) == "{n} tickets"
    assert i18n.pgettext("nowhere", "restore") == "restore"


def _write_catalogue(
    directory: Path, language: str, entries: dict[str, str], fuzzy: Iterable[str] = ()
) -> Path:
    """A small .po for a test, with some entries untranslated or fuzzy."""
    catalog = Catalog(locale=language, domain=i18n.DOMAIN, fuzzy=False)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    catalog.add(("{n} ticket", "{n} tickets"), ("{n} 个工单",))
    path = directory / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog)
    return path


def _compile(po_path: Path) -> None:
    with po_path.open("rb") as po:
        catalog = read_po(po)
    with po_path.with_suffix(".mo").open("wb") as mo:
        write_mo(mo, catalog)


def test_untranslated_and_fuzzy_fall_back_to_english(tmp_path: Path) -> None:
    _write_catalogue(
        tmp_path,
        "zh_CN",
        {"Cause": "起因", "Result": "", "Process": "过程（待审）"},
        fuzzy=["Process"],
    )
    translations = i18n._load("zh_CN", str(tmp_path))
    assert translations.gettext("Cause") == "起因"
    assert translations.gettext("Result") == "Result"
    assert translations.gettext("Process") == "Process"
    assert translations.ngettext("{n} ticket", "{n} tickets", 3) == "{n} 个工单"


def test_compiled_catalogue_is_used(tmp_path: Path) -> None:
    po = _write_catalogue(tmp_path, "zh_CN", {"Cause": "起因"})
    _compile(po)
    po.write_bytes(po.read_bytes().replace("起因".encode(), "原因".encode()))
    mo_time = os.stat(po.with_suffix(".mo")).st_mtime
    os.utime(po, (mo_time - 10, mo_time - 10))
    assert i18n._load("zh_CN", str(tmp_path), check_stale=True).gettext("Cause") == "起因"


def test_stale_compiled_catalogue_is_ignored_in_a_source_tree(tmp_path: Path) -> None:
    po = _write_catalogue(tmp_path, "zh_CN", {"Cause": "起因"})
    _compile(po)
    po.write_bytes(po.read_bytes().replace("起因".encode(), "原因".encode()))
    mo_time = os.stat(po.with_suffix(".mo")).st_mtime
    os.utime(po, (mo_time + 10, mo_time + 10))
    assert i18n._load("zh_CN", str(tmp_path), check_stale=True).gettext("Cause") == "原因"
    # An installed wheel has no meaningful file times: its .mo is trusted.
    assert i18n._load("zh_CN", str(tmp_path), check_stale=False).gettext("Cause") == "起因"


def test_missing_compiled_catalogue_is_compiled_in_memory(tmp_path: Path) -> None:
    _write_catalogue(tmp_path, "zh_CN", {"Cause": "起因"})
    translations = i18n._load("zh_CN", str(tmp_path))
    assert isinstance(translations, gettext.GNUTranslations)
    assert translations.gettext("Cause") == "起因"
    assert not list(tmp_path.rglob("*.mo")), "the fallback compiles in memory, it writes nothing"


def test_no_catalogue_at_all_means_english(tmp_path: Path) -> None:
    assert i18n._load("zh_CN", str(tmp_path)).gettext("Cause") == "Cause"


def test_import_is_cheap() -> None:
    """Importing the translation module costs no babel (only the in-memory fallback needs it)."""
    code = "import sys, dutyboard.i18n\nprint('babel' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# the template extractor --------------------------------------------------------------------------

TEMPLATE = """{
  "id": "monthly",
  "title": "Monthly inspection",
  "sections": [
    {
      "key": "environment",
      "section_title": "Environment",
      "items": [
        {"key": "temperature", "label": "Temperature (°C)", "unit": "°C", "min": 18},
        {"key": "dust", "label": "Dust", "choices": ["ok", "dusty"],
         "choices_labels": {"ok": "Clean", "dusty": "Needs cleaning"}},
        {"key": "power", "label": "Power", "choices_labels": ["Normal", "On UPS", ""]}
      ]
    }
  ],
  "note": "not shown to users"
}
"""


def test_template_extractor_finds_visible_strings() -> None:
    fileobj = io.BytesIO(TEMPLATE.encode())
    found = [
        (line, message) for line, _f, message, _c in extract_template_json(fileobj, [], [], {})
    ]
    assert [message for _line, message in found] == [
        "Monthly inspection",
        "Environment",
        "Temperature (°C)",
        "Dust",
        "Clean",
        "Needs cleaning",
        "Power",
        "Normal",
        "On UPS",
    ]
    lines = {message: line for line, message in found}
    assert lines["Monthly inspection"] == 3
    assert lines["Environment"] == 7
    assert lines["Needs cleaning"] == 11


def test_template_extractor_reports_broken_json() -> None:
    fileobj = io.BytesIO(b'{"label": ')
    fileobj.name = "broken.json"
    with pytest.raises(ValueError, match="broken.json: not valid JSON"):
        list(extract_template_json(fileobj, [], [], {}))


def test_mapping_extracts_python_and_templates(tmp_path: Path) -> None:
    """babel.cfg wires both extractors: python keywords and the template JSON."""
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "monthly.json").write_text(TEMPLATE, encoding="utf-8")
    (package / "module.py").write_text(
        "from dutyboard.i18n import _, N_, ngettext, pgettext\n"
        "A = N_('Marked for later')\n"
        "def f(n):\n"
        "    # TRANSLATORS: shown in the header\n"
        "    return _('Shown now'), ngettext('{n} ticket', '{n} tickets', n), pgettext('clock', 'restore')\n",
        encoding="utf-8",
    )
    (package / "notes.txt").write_text("_('not python')", encoding="utf-8")
    catalog = extract_catalog(str(package))
    assert _keys(catalog) == {
        ("Marked for later", None),
        ("Shown now", None),
        ("{n} ticket", None),
        ("restore", "clock"),
        ("Monthly inspection", None),
        ("Environment", None),
        ("Temperature (°C)", None),
        ("Dust", None),
        ("Clean", None),
        ("Needs cleaning", None),
        ("Power", None),
        ("Normal", None),
        ("On UPS", None),
    }
    shown = catalog.get("Shown now")
    assert shown is not None
    assert shown.locations == [("pkg/module.py", 5)]
    assert shown.auto_comments == ["shown in the header"]
    assert catalog.get("Needs cleaning").locations == [("pkg/templates/monthly.json", 11)]
