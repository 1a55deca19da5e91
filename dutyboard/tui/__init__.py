"""The full-screen dashboard: imported only when `dutyboard` opens it, never by `dutyboard ticket …`.

Two helpers every screen shares live here: `literal` makes text from the database safe to draw
(control characters become visible symbols, so a title can never move the cursor or change
colours), and `translate_bindings` puts a node's key descriptions, declared with `N_()`, into the
current language when the node is made.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from dutyboard.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"
_C1_PICTURES = {code: "\ufffd" for code in range(0x80, 0xA0)}
_SAFE = str.maketrans({**_C0_PICTURES, **_C1_PICTURES})


def literal(text: str | None) -> str:
    """Text from the database as it will be drawn: control characters shown as symbols (ESC as ␛)."""
    if not text:
        return ""
    return text.translate(_SAFE)


_SAFE_BLOCK = str.maketrans({**{k: v for k, v in _C0_PICTURES.items() if k != 0x0A}, 0x09: "    ", **_C1_PICTURES})


def literal_block(text: str | None) -> str:
    """Like `literal`, but line breaks stay line breaks: for descriptions, notes and reports."""
    if not text:
        return ""
    return text.replace("\r\n", "\n").translate(_SAFE_BLOCK)


def translate_bindings(node: DOMNode) -> None:
    """Translate the descriptions and tooltips of a node's own bindings (declared with N_)."""
    bindings = node._bindings
    bindings.key_to_bindings = {
        key: [
            replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            )
            for binding in key_bindings
        ]
        for key, key_bindings in bindings.key_to_bindings.items()
    }
