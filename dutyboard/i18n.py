"""Translation: every user-visible string goes through `_` so zh_CN is a catalogue.

The catalogues are gettext .po files under dutyboard/locale, compiled to .mo by babel when the
package is built or installed (setup.py's build_py). A plain source checkout has no .mo, and in
a source tree (an editable install) the .mo may be older than a .po edited since: then the .po
is compiled in memory with babel, so a translation never silently goes stale or missing.

Call `setup_language()` once at start-up; until then messages come back in English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping

DOMAIN = "dutyboard"
#: The languages with a catalogue; the first is the complete translation.
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "en"
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
LOCALE_DIR = os.path.join(_PACKAGE_DIR, "locale")
#: Where the language comes from when the config does not say, in gettext's order.
ENV_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language: str = DEFAULT_LANGUAGE
_loaded: dict[str, _gettext.NullTranslations] = {}


def _(message: str) -> str:
    """Translate a message into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a short word whose meaning depends on where it is shown (e.g. a status "open")."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated where shown)."""
    return message


def normalize_language(name: str | None) -> str | None:
    """Map a locale name such as "zh_CN.UTF-8" to a catalogue; None when the name is empty."""
    if name is None or not name.strip():
        return None
    base = name.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if base in ("zh", "zh_cn"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: the first non-empty of LC_ALL, LC_MESSAGES, LANG."""
    env = os.environ if environ is None else environ
    for variable in ENV_VARIABLES:
        language = normalize_language(env.get(variable))
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def setup_language(config_language: str | None = None) -> str:
    """Switch every later `_()` to the config's language, else the environment's; returns it."""
    global _translation, _language
    language = normalize_language(config_language) or language_from_env()
    _translation = _translations(language)
    _language = language
    return language


def translations_for(language: str | None) -> _gettext.NullTranslations:
    """One language's catalogue whatever the process speaks (a web page in its reader's)."""
    return _translations(normalize_language(language) or DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language messages are shown in now: "zh_CN" or "en"."""
    return _language


def _translations(language: str) -> _gettext.NullTranslations:
    """The catalogue for a language, loaded once per process."""
    if language not in _loaded:
        _loaded[language] = _load(language, LOCALE_DIR)
    return _loaded[language]


def _mtime(path: str) -> float | None:
    """A file's modification time, None when it does not exist."""
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def _in_source_tree() -> bool:
    """Whether the package runs from its repository, where a .po can be edited after the build.

    An installed wheel writes its files in no particular order, so there the .mo is always
    trusted and modification times are not compared.
    """
    return os.path.exists(os.path.join(os.path.dirname(_PACKAGE_DIR), "pyproject.toml"))


def _load(
    language: str, locale_dir: str, check_stale: bool | None = None
) -> _gettext.NullTranslations:
    """Read the compiled catalogue, or compile the .po in memory when the .mo is missing or old."""
    base = os.path.join(locale_dir, language, "LC_MESSAGES", DOMAIN)
    mo_time, po_time = _mtime(base + ".mo"), _mtime(base + ".po")
    if check_stale is None:
        check_stale = _in_source_tree()
    stale = check_stale and po_time is not None and mo_time is not None and po_time > mo_time
    if mo_time is not None and not stale:
        with open(base + ".mo", "rb") as mo:
            return _gettext.GNUTranslations(mo)
    if po_time is not None:
        return _compiled_cached(base + ".po", language)
    return _gettext.NullTranslations()


def _compiled_cached(po_path: str, language: str) -> _gettext.NullTranslations:
    """Compile a .po once per edit: the result is kept in the user's cache directory.

    A source checkout has no .mo (or an old one); compiling costs ~40 ms, which every short
    `dutyboard ticket …` run would otherwise pay again.
    """
    from io import BytesIO

    cached = _cache_path(po_path, language)
    if cached is not None:
        try:
            with open(cached, "rb") as mo:
                return _gettext.GNUTranslations(mo)
        except OSError:
            pass
    data = _mo_bytes(po_path, language)
    if cached is not None:
        try:
            os.makedirs(os.path.dirname(cached), exist_ok=True)
            partial = f"{cached}.{os.getpid()}"
            with open(partial, "wb") as out:
                out.write(data)
            os.replace(partial, cached)
        except OSError:
            pass  # no cache (a read-only home): compiling each time still works
    return _gettext.GNUTranslations(BytesIO(data))


def _cache_path(po_path: str, language: str) -> str | None:
    """Where the compiled .po is kept, named by its mtime and size; None without a cache."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    try:
        stat = os.stat(po_path)
    except OSError:
        return None
    if not os.path.isabs(root):
        return None
    return os.path.join(root, "dutyboard", f"{language}-{stat.st_mtime_ns}-{stat.st_size}.mo")


def _mo_bytes(po_path: str, language: str) -> bytes:
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_in_memory(po_path: str, language: str) -> _gettext.GNUTranslations:
    """Compile a .po with babel into an in-memory .mo (fuzzy and empty entries left out)."""
    from io import BytesIO

    return _gettext.GNUTranslations(BytesIO(_mo_bytes(po_path, language)))
