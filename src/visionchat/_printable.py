"""Text from the API made inert for a terminal or a document: no control characters.

Titles and messages come from users and agents. Printed raw, `ESC ] 0 ; … BEL` retitles a
terminal, `ESC [ 2 J` clears it, `\\x9b` is a one-byte CSI, U+202E reverses what follows
and a line break splits a one-line layout. Each such character is shown as its JSON
escape (`\\u001b`): the text stays readable, a reader sees what was sent, and a JSON
document passed through keeps its exact value.
"""

from __future__ import annotations

import re

#: Everything but tab and line feed: C0 controls, DEL, C1 controls, the bidirectional
#: controls (marks, embeddings, overrides, isolates), the line and paragraph separators.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_IN_TEXT = re.compile(f"[{_CONTROLS}]")
_IN_LINE = re.compile(f"[\t\n{_CONTROLS}]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert_text(text: str) -> str:
    """`text` with its lines and tabs kept and every other control character escaped."""
    return _IN_TEXT.sub(_escape, text)


def inert_line(text: str) -> str:
    """`text` on one line: every control character, tabs and line feeds too, escaped."""
    return _IN_LINE.sub(_escape, text)
