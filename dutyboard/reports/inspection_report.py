"""The system health inspection report (系统健康巡检报告) handed to the customer after each visit.

One document model built from the inspection (site, date, people, every item with the range
that was in force and its verdict, findings with their tickets, the preventive maintenance
done, the five-part service record), written out as Markdown or as one self-contained HTML
page for A4. Always in the reader's language: every word goes through `_()`.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dutyboard import fmt as formats
from dutyboard import i18n
from dutyboard.domain import inspection as rules
from dutyboard.domain.policy import REPORT_PART_LABELS, REPORT_PARTS
from dutyboard.i18n import _, pgettext
from dutyboard.reports.inspection_report_html import PAGE, STYLE
from dutyboard.service import inspections
from dutyboard.service.errors import BadInput

FORMATS = ("md", "html")
#: The section whose items are the preventive-maintenance tasks of the plan.
PM_SECTION = "pm"


@contextmanager
def in_language(lang: str | None) -> Iterator[None]:
    """Translate in `lang` inside the block (None: the current language), then switch back."""
    if lang is None or i18n.normalize_language(lang) == i18n.current_language():
        yield
        return
    previous = i18n.current_language()
    i18n.setup_language(lang)
    try:
        yield
    finally:
        i18n.setup_language(previous)


def verdict_name(verdict: str | None) -> str:
    """A verdict as the report prints it: "OK", "Finding", "N/A", "—" when not filled."""
    names = {
        "ok": pgettext("verdict", "OK"),
        "finding": pgettext("verdict", "Finding"),
        "na": pgettext("verdict", "N/A"),
    }
    return names.get(verdict or "", "—")


def kind_name(kind: str) -> str:
    names = {
        "monthly": pgettext("inspection kind", "monthly inspection"),
        "adhoc": pgettext("inspection kind", "ad-hoc inspection"),
    }
    return names.get(kind, kind)


def headings() -> dict[str, str]:
    """The report's fixed words, in the current language."""
    return {
        "findings": _("Findings"),
        "maintenance": _("Preventive maintenance done"),
        "record": _("Service record"),
        "signatures": _("Signatures"),
        "no_findings": _("No findings."),
        "none": _("None recorded."),
        "draft": _("DRAFT: not submitted yet"),
    }


def joined(items: list[str]) -> str:
    """A list in running text: "a, b, c" (zh_CN "a、b、c")."""
    # TRANSLATORS: the separator between the items of a list in running text.
    return _(", ").join(items)


# ---------------------------------------------------------------- the document


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    hint: str
    value: str
    range: str
    verdict: str | None
    note: str


@dataclass(frozen=True)
class Block:
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class FindingLine:
    key: str
    label: str
    value: str
    range: str
    reason: str
    ticket: str


@dataclass(frozen=True)
class Document:
    """Everything the report says, already in words of the reader's language."""

    title: str
    subtitle: str
    draft: bool
    facts: list[tuple[str, str]]
    blocks: list[Block]
    findings: list[FindingLine]
    maintenance: list[Line]
    record: list[tuple[str, str]]
    engineers: str
    customer_rep: str
    footer: str


def _local(board: Any, instant: datetime) -> datetime:
    return instant.astimezone(board.zone)


def _line(entry: inspections.Entry) -> Line:
    item = entry.item
    return Line(
        key=item.key,
        label=item.label_text(),
        hint=item.hint_text(),
        value=entry.value_text(),
        range=item.range_text(),
        verdict=entry.verdict,
        note=entry.note,
    )


def _ticket_text(finding: inspections.FindingView, submitted: bool) -> str:
    if finding.ticket is None:
        return _("opened on submission") if not submitted else "—"
    parts = [f"#{finding.ticket}"]
    if finding.ticket_level is not None:
        parts.append(formats.level_short(finding.ticket_level))
    if finding.ticket_status is not None:
        parts.append(formats.status_name(finding.ticket_status))
    return " ".join(parts)


def _default_record(view: inspections.InspectionView, board: Any) -> dict[str, str]:
    """Words for the record's parts the engineer left empty, from what the checklist shows."""
    day = formats.date(_local(board, view.started_at).date())
    people = view.engineers or view.started_by
    if view.kind == "monthly":
        cause = _("Scheduled monthly preventive inspection under the service plan (12 a year).")
    else:
        cause = _("Inspection before an important operation or system change.")
    filled = [e for e in view.entries if e.value]
    sections = [s.title_text() for s, entries in view.sections() if any(e.value for e in entries)]
    done = [
        e.item.label_text()
        for s, entries in view.sections() if s.key == PM_SECTION
        for e in entries if e.value and e.verdict != "na"
    ]
    process = _("{n} checklist items checked ({sections}).").format(
        n=len(filled), sections=joined(sections) or "—"
    )
    if done:
        process += " " + _("Preventive maintenance done: {tasks}.").format(tasks=joined(done))
    if not view.findings:
        result = _("No findings: every item checked is within its range.")
        precautions = _("Keep to the monthly inspection schedule.")
    else:
        labels = joined([f.item.label_text() for f in view.findings])
        tickets = joined([f"#{f.ticket}" for f in view.findings if f.ticket is not None])
        result = _("{n} findings: {items}.").format(n=len(view.findings), items=labels)
        if tickets:
            result += " " + _("Tickets opened: {tickets}.").format(tickets=tickets)
        precautions = _("Follow the findings' tickets until they are closed; check these items "
                        "again at the next inspection.")
    return {
        "cause": cause,
        "response": _("On-site visit on {date} by {people}.").format(date=day, people=people),
        "process": process,
        "result": result,
        "precautions": precautions,
    }


def build(board: Any, inspection_id: int) -> Document:
    """The report's content for an inspection, in the current language."""
    view = inspections.show(board, inspection_id)
    submitted = view.status == "submitted"
    started = _local(board, view.started_at)
    site = f"{view.site} — {view.site_name}" if view.site_name else view.site
    kind = kind_name(view.kind)
    if view.kind == "monthly":
        kind = _("{kind} for {period}").format(kind=kind, period=rules.period_text(view.period))
    facts = [
        (_("Site"), site),
        (_("Date"), formats.date(started.date())),
        (_("Inspection"), f"#{view.id} · {kind}"),
        (_("Engineers"), view.engineers or (view.started_by if not submitted else "—")),
        (_("Customer's representative"), view.customer_rep or "—"),
    ]
    if view.submitted_at is not None:
        submitted_at = _local(board, view.submitted_at)
        facts.append(
            (_("Submitted"), f"{formats.date(submitted_at.date())} {submitted_at:%H:%M}")
        )
    blocks = []
    maintenance: list[Line] = []
    for section, entries in view.sections():
        if section.key == PM_SECTION:
            maintenance = [_line(e) for e in entries]
            continue
        blocks.append(Block(section.title_text(), [_line(e) for e in entries]))
    findings = [
        FindingLine(
            key=f.key,
            label=f.item.label_text(),
            value=f.value_text(),
            range=f.item.range_text(),
            reason=f.reason,
            ticket=_ticket_text(f, submitted),
        )
        for f in view.findings
    ]
    defaults = _default_record(view, board)
    record = [
        (_(REPORT_PART_LABELS[part]), view.record.get(part) or defaults[part])
        for part in REPORT_PARTS
    ]
    return Document(
        title=_("System health inspection report"),
        subtitle=view.template.title_text(),
        draft=not submitted,
        facts=facts,
        blocks=blocks,
        findings=findings,
        maintenance=maintenance,
        record=record,
        engineers=view.engineers,
        customer_rep=view.customer_rep,
        footer=_("Inspection #{id}, template {template}; report made by dutyboard.").format(
            id=view.id, template=view.template.key
        ),
    )


def render(board: Any, inspection_id: int, fmt: str = "md", lang: str | None = None) -> str:
    """The report as Markdown ("md") or one self-contained HTML page ("html"), in `lang`."""
    if fmt not in FORMATS:
        raise BadInput(
            _("Unknown report format {fmt!r}: use md or html").format(fmt=fmt)
        )
    with in_language(lang):
        document = build(board, inspection_id)
        if fmt == "md":
            return to_markdown(document)
        return to_html(document, i18n.current_language())


# ---------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.splitlines()) or " "


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _verdict_cell(verdict: str | None) -> str:
    name = verdict_name(verdict)
    return f"**{name}**" if verdict == "finding" else name


def to_markdown(doc: Document) -> str:
    h = headings()
    out = [f"# {doc.title}", "", doc.subtitle, ""]
    if doc.draft:
        out += ["> **" + h["draft"] + "**", ""]
    out += [*_table([_("Field"), _("Value")], [[k, v] for k, v in doc.facts]), ""]
    head = [_("Item"), _("Value"), _("Range in force"), _("Verdict"), _("Note")]
    for block in doc.blocks:
        out += [f"## {block.title}", ""]
        out += _table(
            head,
            [[ln.label, ln.value or "—", ln.range or "—", _verdict_cell(ln.verdict), ln.note]
             for ln in block.lines],
        )
        out.append("")
    out += [f"## {h['findings']}", ""]
    if doc.findings:
        out += _table(
            [_("Item"), _("Value"), _("Range in force"), _("Reason"), _("Ticket")],
            [[f.label, f.value, f.range or "—", f.reason, f.ticket] for f in doc.findings],
        )
    else:
        out.append(h["no_findings"])
    out.append("")
    out += [f"## {h['maintenance']}", ""]
    if doc.maintenance:
        out += _table(
            [_("Task"), _("Result"), _("Note")],
            [[ln.label, ln.value or "—", ln.note] for ln in doc.maintenance],
        )
    else:
        out.append(h["none"])
    out.append("")
    out += [f"## {h['record']}", ""]
    for label, text in doc.record:
        out += [f"### {label}", "", text.strip(), ""]
    out += [
        f"## {h['signatures']}",
        "",
        _("Engineer: {name}").format(name=doc.engineers or "________"),
        "",
        _("Customer's representative: {name}").format(name=doc.customer_rep or "________"),
        "",
        "---",
        "",
        doc.footer,
        "",
    ]
    return "\n".join(out)


# ---------------------------------------------------------------- HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_table(head: list[str], rows: list[tuple[str, list[str]]], css: str = "") -> str:
    """A table; each row is (class, cells already escaped)."""
    cls = f' class="{css}"' if css else ""
    parts = [f"<table{cls}><thead><tr>"]
    parts += [f"<th>{_e(h)}</th>" for h in head]
    parts.append("</tr></thead><tbody>")
    for row_class, cells in rows:
        attr = f' class="{row_class}"' if row_class else ""
        parts.append(f"<tr{attr}>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _td(text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    if not text:
        return f"<td{cls}><span class=\"none\">—</span></td>"
    return f"<td{cls}>" + "<br>".join(_e(t) for t in text.splitlines()) + "</td>"


def _item_td(line: Line) -> str:
    title = f' title="{_e(line.hint)}"' if line.hint else ""
    return f"<td{title}>{_e(line.label)}<span class=\"key\">{_e(line.key)}</span></td>"


def to_html(doc: Document, language: str) -> str:
    h = headings()
    body: list[str] = []
    body.append(
        "<table class=\"facts\"><tbody>"
        + "".join(f"<tr><th>{_e(k)}</th>{_td(v)}</tr>" for k, v in doc.facts)
        + "</tbody></table>"
    )
    head = [_("Item"), _("Value"), _("Range in force"), _("Verdict"), _("Note")]
    for block in doc.blocks:
        body.append(f"<h2>{_e(block.title)}</h2>")
        rows = [
            (
                "finding" if ln.verdict == "finding" else "",
                [_item_td(ln), _td(ln.value, "value"), _td(ln.range, "range"),
                 _td(verdict_name(ln.verdict), "verdict"), _td(ln.note)],
            )
            for ln in block.lines
        ]
        body.append(_html_table(head, rows))
    body.append(f"<h2>{_e(h['findings'])}</h2>")
    if doc.findings:
        body.append(
            _html_table(
                [_("Item"), _("Value"), _("Range in force"), _("Reason"), _("Ticket")],
                [
                    ("finding", [_td(f.label), _td(f.value, "value"), _td(f.range, "range"),
                                 _td(f.reason), _td(f.ticket)])
                    for f in doc.findings
                ],
            )
        )
    else:
        body.append(f"<p>{_e(h['no_findings'])}</p>")
    body.append(f"<h2>{_e(h['maintenance'])}</h2>")
    if doc.maintenance:
        body.append(
            _html_table(
                [_("Task"), _("Result"), _("Note")],
                [
                    ("finding" if ln.verdict == "finding" else "",
                     [_item_td(ln), _td(ln.value, "value"), _td(ln.note)])
                    for ln in doc.maintenance
                ],
            )
        )
    else:
        body.append(f"<p>{_e(h['none'])}</p>")
    body.append(f"<h2>{_e(h['record'])}</h2><dl class=\"record\">")
    for label, text in doc.record:
        body.append(f"<dt>{_e(label)}</dt><dd>{_e(text.strip())}</dd>")
    body.append("</dl>")
    engineer = _("Engineer: {name}").format(name=doc.engineers)
    customer = _("Customer's representative: {name}").format(name=doc.customer_rep)
    body.append(
        f"<div class=\"signatures\"><div>{_e(engineer)}</div><div>{_e(customer)}</div></div>"
    )
    draft = f"<p class=\"draft\">{_e(h['draft'])}</p>" if doc.draft else ""
    return PAGE.substitute(
        lang="zh-CN" if language == "zh_CN" else "en",
        title=_e(doc.title),
        subtitle=_e(doc.subtitle),
        draft=draft,
        style=STYLE,
        body="\n".join(body),
        footer=_e(doc.footer),
    )
