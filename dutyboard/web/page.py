"""The browser board's two pages, in the reader's language: the login form and the live queue.

The pages are plain HTML shells; board.js draws the queue from the snapshots the server pushes
and ticks the countdowns. Every word comes from the catalogue of the language asked for (the
`lang` query or cookie, else the browser's Accept-Language), whatever language the server runs in.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, Final

from dutyboard.i18n import LANGUAGES, N_, translations_for

#: Language names shown in the switcher, each in its own language.
LANGUAGE_NAMES: Final = {"zh_CN": "中文", "en": "English"}

#: The page's own words (the level, status and clock names are the dashboard's).
WORDS: Final = {
    "title": N_("Duty board"),
    "token": N_("Token"),
    "log_in": N_("Log in"),
    "log_out": N_("Log out"),
    "login_hint": N_(
        "A viewer token made by a manager with `dutyboard token add NAME --access viewer`."
    ),
    "wrong_token": N_("That token is wrong or has been revoked."),
    "too_many": N_("Too many wrong tokens from this address; wait a minute and try again."),
    "live": N_("live"),
    "reconnecting": N_("reconnecting…"),
    "empty": N_("The queue is empty."),
    "level": N_("Level"),
    "ticket": N_("Ticket"),
    "status": N_("Status"),
    "next_clock": N_("Clock"),
    "left": N_("Left"),
    "breached": N_("breached"),
    "escalations": N_("Escalations"),
    "no_escalations": N_("No escalations."),
    "crisis": N_("Crisis"),
    "repeats": N_("repeated {n}×, last at {at}"),
    "open_tickets": N_("{n} open"),
    "breached_count": N_("{n} breached"),
    "noscript": N_("The board needs JavaScript to update itself."),
}


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """The `lang` query, else the cookie, else the browser's first known language, else English."""
    for asked in (query, cookie):
        if asked in LANGUAGES:
            return str(asked)
    for part in (accept or "").split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return "en"


def labels(language: str) -> dict[str, Any]:
    """Every word board.js shows, in one language."""
    t = translations_for(language)
    return {
        "words": {key: t.gettext(message) for key, message in WORDS.items()},
        "levels": {
            "1": t.pgettext("level", "L1"), "2": t.pgettext("level", "L2"),
            "3": t.pgettext("level", "L3"), "4": t.pgettext("level", "L4"),
        },
        "level_names": {
            "1": t.pgettext("level", "L1 urgent"), "2": t.pgettext("level", "L2 serious"),
            "3": t.pgettext("level", "L3 significant"), "4": t.pgettext("level", "L4 ordinary"),
        },
        "statuses": {
            "open": t.pgettext("ticket status", "open"),
            "acknowledged": t.pgettext("ticket status", "acknowledged"),
            "dispatched": t.pgettext("ticket status", "dispatched"),
            "on_site": t.pgettext("ticket status", "on site"),
            "restored": t.pgettext("ticket status", "restored"),
            "closed": t.pgettext("ticket status", "closed"),
        },
        "clocks": {
            "respond": t.pgettext("clock", "respond"),
            "arrive": t.pgettext("clock", "arrive"),
            "restore": t.pgettext("clock", "restore"),
            "report": t.pgettext("clock", "report"),
            "update": t.pgettext("clock", "update"),
        },
        "escalation_kinds": {
            "auto": t.pgettext("escalation", "automatic"),
            "manual": t.pgettext("escalation", "by hand"),
            "management": t.pgettext("escalation", "management"),
        },
        "countdown": {
            # The dashboard's compact countdowns: 4d05h, 3h05m (minutes and seconds need no words).
            "days": t.gettext("{days}d{hours:02d}h"),
            "hours": t.gettext("{hours}h{minutes:02d}m"),
        },
    }


def _switcher(language: str, path: str) -> str:
    links = []
    for code in LANGUAGES:
        name = escape(LANGUAGE_NAMES[code])
        if code == language:
            links.append(f'<strong lang="{code.replace("_", "-")}">{name}</strong>')
        else:
            links.append(
                f'<a href="{escape(path)}?lang={code}" lang="{code.replace("_", "-")}">{name}</a>'
            )
    return '<nav class="langs">' + " · ".join(links) + "</nav>"


def _shell(language: str, title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="{language.replace("_", "-")}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="same-origin">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/board/static/board.css">\n'
        '<link rel="icon" href="data:,">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def login_page(language: str, error: str | None = None) -> str:
    """The login form: a token field posted to /board/login (never in a URL)."""
    t = translations_for(language)
    words = {key: t.gettext(message) for key, message in WORDS.items()}
    problem = f'<p class="error" role="alert">{escape(t.gettext(error))}</p>' if error else ""
    body = (
        '<main class="login">\n'
        f'<header><h1>{escape(words["title"])}</h1>{_switcher(language, "/board")}</header>\n'
        f"{problem}"
        '<form method="post" action="/board/login">\n'
        f'<input type="hidden" name="lang" value="{escape(language)}">\n'
        f'<label for="token">{escape(words["token"])}</label>\n'
        '<input id="token" name="token" type="password" autocomplete="off" required autofocus>\n'
        f'<button type="submit">{escape(words["log_in"])}</button>\n'
        f'<p class="hint">{escape(words["login_hint"])}</p>\n'
        "</form>\n</main>"
    )
    return _shell(language, words["title"], body)


def board_page(language: str, who: str) -> str:
    """The live board: a shell board.js fills from /board/events."""
    data = json.dumps(labels(language), ensure_ascii=False).replace("<", "\\u003c")
    words = labels(language)["words"]
    body = (
        '<header class="top">\n'
        f'<h1>{escape(words["title"])}</h1>\n'
        '<div id="counts" class="counts" aria-live="polite"></div>\n'
        '<div class="right">\n'
        '<span id="clock" class="clock"></span>\n'
        f'<span id="state" class="state off">{escape(words["reconnecting"])}</span>\n'
        f"{_switcher(language, '/board')}\n"
        '<form method="post" action="/board/logout" class="logout">'
        f'<span class="who">{escape(who)}</span> '
        f'<button type="submit">{escape(words["log_out"])}</button></form>\n'
        "</div>\n</header>\n"
        '<main>\n<table id="queue" class="queue">\n<thead><tr>'
        f'<th>{escape(words["level"])}</th><th>{escape(words["ticket"])}</th>'
        f'<th>{escape(words["status"])}</th><th>{escape(words["next_clock"])}</th>'
        f'<th class="num">{escape(words["left"])}</th></tr></thead>\n'
        '<tbody id="rows"></tbody>\n</table>\n'
        f'<p id="empty" class="empty" hidden>{escape(words["empty"])}</p>\n'
        f'<section class="escalations"><h2>{escape(words["escalations"])}</h2>'
        '<ol id="escalations"></ol></section>\n'
        f'<noscript><p class="error">{escape(words["noscript"])}</p></noscript>\n'
        "</main>\n"
        f'<script type="application/json" id="labels">{data}</script>\n'
        '<script src="/board/static/board.js" defer></script>'
    )
    return _shell(language, words["title"], body)
