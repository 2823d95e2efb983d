"""The new part of an e-mail's text: quoted earlier messages and signatures cut off (pure).

Mail clients quote what they answer in a few common shapes, and each is cut from its first line on:

* an attribution line, wrapped over two lines or not: ``On Mon, 7 Dec 2026, Ada <a@x> wrote:`` (en),
  ``Am ... schrieb ...:`` (de), ``Le ... a écrit :`` (fr), ``El ... escribió:`` (es);
* a separator: ``-----Original Message-----`` and its German, French and Spanish forms;
* an Outlook header block: ``From:`` (``Von:``, ``De:``) followed within four lines by ``Sent:``
  (``Gesendet:``, ``Envoyé :``, ``Enviado:``) or ``Date:`` (``Datum:``, ``Fecha:``);
* the signature separator ``-- `` (and a bare ``--``) and mobile footers (``Sent from my iPhone``).

Lines quoted with ``>`` are removed wherever they are (an answer written between quoted lines keeps
its own lines). When nothing is left (a message that is only a quote), the whole text is kept: an
agent never gets an empty message.
"""

from __future__ import annotations

import re

_ATTRIBUTION = [
    re.compile(r"^\s*On\b.{1,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{1,300}\bschrieb\b.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{1,300}\ba\s+écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*El\b.{1,300}\bescribió\s*:\s*$", re.IGNORECASE),
]
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Original-Nachricht|Message d'origine|"
    r"Message original|Mensaje original|Forwarded message)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\**(From|Von|De)\s*:\**\s*\S", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*\**(Sent|Gesendet|Envoyé|Enviado|Date|Datum|Fecha)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE = re.compile(
    r"^\s*(Sent from my\b|Get Outlook for\b|Envoyé de mon\b|Von meinem\b.*\bgesendet|Enviado desde mi\b)",
    re.IGNORECASE,
)
OUTLOOK_LOOKAHEAD = 4


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i]
    joined = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
    if any(p.match(line) or p.match(joined) for p in _ATTRIBUTION):
        return True
    if _SEPARATOR.match(line) or _SIGNATURE.match(line) or _MOBILE.match(line):
        return True
    if _OUTLOOK_FROM.match(line):
        ahead = lines[i + 1 : i + 1 + OUTLOOK_LOOKAHEAD]
        return any(_OUTLOOK_SENT.match(other) for other in ahead)
    return False


def new_text(text: str) -> str:
    """``text`` without the quoted messages and signature it ends with (see the module's docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _starts_quote(lines, i):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    result = "\n".join(kept).strip()
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result or text.strip()
