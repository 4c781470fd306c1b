"""Checks on a submitted text (plain text or Markdown): its headings, labelled lines, and verbatim copying.

These are the text functions of the expression language (``TEXT_FUNCTIONS``).  A null text gives null.
A policy tests a returned text only against null (``labelled(...) == null``), a flag against true/false
(``has_part(...) == false``) and a share against a number, so that a backend sees a boolean or an
integer atom, never the text itself (``tests/property/test_document_families.py`` checks this).

- A *heading* is a line that, after Markdown markers (``#``, ``>``, ``-``, ``**``) are taken off, is a
  Markdown heading (``## 背景依据``) or begins with a Chinese ordinal (``一、背景依据``).  Its name is
  the text after the ordinal; ``has_heading(t, "其他")`` holds when a heading's name is 其他 or begins
  with it followed by ``：`` ``（`` or a space (``七、解读机关：区住建局综合科``).
- A *section* is what lies below a heading: under a Chinese-ordinal heading, up to the next line that
  reads as one (a Chinese ordinal and a name without sentence punctuation before any ``：``, so a body
  line 「三、四月份启动首批改造，……」 does not end it); under a Markdown heading, up to the next Markdown
  heading of the same or a higher level (the ordinals of a policy quoted under ``## 主要内容`` do not).
- ``has_part(t, name, template)`` holds when the heading has content: below it, or after its name on its
  own line (``六、其他：申请须在每年 3 月底前提出。``).  A line of the template (a sub-heading left as the
  template has it, ``- 1、制定背景``) or one holding a placeholder is not content.
- A *labelled value* is the text after the ``：``/``:`` that follows the label on a line, up to the next
  label on the same line (``解读人：李红　联系电话：0539-8012345``).  A value with an asterisk (``***``) or
  ``XX`` is the template's placeholder, not a value.  Lines are read NFKC-normalised (full-width digits).
- ``copied_share(t, source, n)`` is the share of ``t``'s characters that lie in a run of at least ``n``
  characters found verbatim in ``source``.  Both texts are compared after NFKC normalisation (full-
  and half-width punctuation alike) with whitespace and Markdown markers removed.  It finds copied
  sentences and a "精简版" made by deleting clauses; it cannot find a paraphrase.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from .money import CONTEXT

_MARKUP = re.compile(r"^\s*(?:>\s*)*(?:[-+*]\s+)?")  # quote and list markers before a line's text
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+\s*[、．.]\s*")
_BOLD = re.compile(r"\*\*|__")
_NAME_END = re.compile(r"^(?:$|[：:（(\s])")
_PLACEHOLDER = re.compile(r"[*＊]|[xX×]{2}")
_LABELLED = re.compile(r"^([^：:]*)[：:](.*)$")
_NEXT_LABEL = re.compile(r"\s+[^\s：:]{1,10}[：:]")  # 「　联系电话：」 after a value on the same line
_SENTENCE = re.compile(r"[，。；！？,;!?]")  # a heading's name has none before its "："
_BOLD_VALUE = re.compile(r"^\*\*(.+)\*\*$")
_PHONE = re.compile(r"[0-9][0-9\-－—\s()（）]*[0-9]")
_DROPPED = re.compile(r"[\s#*>`|_]+")
# a line whose plain text (``_plain``) can begin with "#" or a Chinese ordinal: only whitespace and the
# characters of quote, list and bold markers (which ``_plain`` removes) can stand before that character
_MAY_HEAD = re.compile(r"[\s>*_+\-]*[#一二三四五六七八九十]")
MIN_PHONE_DIGITS = 7
MAX_LABELS_PER_LINE = 8


def _plain(line: str) -> str:
    """A line without quote/list markers and bold markers."""
    return _BOLD.sub("", _MARKUP.sub("", line, count=1)).strip()


def _heading(plain: str) -> tuple[int, str] | None:
    """Return (level, name) when the plain line is a heading: Markdown level 1-6, or 0 for a Chinese ordinal."""
    markdown = _MD_HEADING.match(plain)
    level = 0
    if markdown:
        level, plain = len(markdown.group(1)), _BOLD.sub("", markdown.group(2)).strip()
    ordinal = _ORDINAL.match(plain)
    if ordinal:
        return level, plain[ordinal.end():].strip()
    return (level, plain) if level else None


class _Outline(NamedTuple):
    lines: list[str]
    headings: list[tuple[int, int, str]]  # (line number, level, name) of every heading, in order
    by_initial: dict[str, list[int]]  # a name's first character -> the places in ``headings`` of those names
    ordinals: list[int]  # the numbers of the lines that read as a Chinese-ordinal heading (each ends a section)
    values: dict[int, int]  # a heading line's number -> the value of its Chinese ordinal (六、 -> 6), if it has one


@lru_cache(maxsize=4)  # a case asks about the same material once per heading: each text is read once
def _outline(text: str) -> _Outline:
    """Read a text's lines, headings and ordinals once."""
    outline = _Outline(text.splitlines(), [], {}, [], {})
    for number, line in enumerate(outline.lines):
        if _MAY_HEAD.match(line) is None:
            continue  # neither a heading nor an ordinal: most lines, at the cost of one match
        plain = _plain(line)
        heading = _heading(plain)
        if heading is not None:
            outline.by_initial.setdefault(heading[1][:1], []).append(len(outline.headings))
            outline.headings.append((number, *heading))
            ordinal = _ORDINAL.match(plain.lstrip("#").strip())
            if ordinal is not None:
                outline.values[number] = _chinese_number(ordinal.group().rstrip("、．. \t"))
            if heading[0] == 0 and not _SENTENCE.search(re.split("[：:]", heading[1], maxsplit=1)[0]):
                outline.ordinals.append(number)  # reads as a heading: it ends the section above it
    return outline


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _chinese_number(numeral: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十 -> 20 (the ordinals of a document's parts)."""
    if "十" not in numeral:
        return _DIGITS.get(numeral, 0)
    tens, _, units = numeral.partition("十")
    return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0)


def _names(name: str, wanted: str) -> bool:
    return name.startswith(wanted) and _NAME_END.match(name[len(wanted):]) is not None


def _named(outline: _Outline, wanted: str) -> Iterator[int]:
    """The places in ``outline.headings`` of the headings named ``wanted``, in order."""
    places = outline.by_initial.get(wanted[:1], []) if wanted else range(len(outline.headings))
    return (k for k in places if _names(outline.headings[k][2], wanted))


def has_heading(text: str, name: str) -> bool:
    """Tell whether the text has a heading named ``name``."""
    return next(_named(_outline(text), name), None) is not None


def section(text: str, name: str) -> str | None:
    """Return the part under the heading ``name``, or None: what its own line says after ``name：``
    (七、解读机关：区住建局综合科), then the lines below it up to the next heading of its rank."""
    outline = _outline(text)
    found = next(_named(outline, name), None)
    if found is None:
        return None
    number, level, own = outline.headings[found]
    end = len(outline.lines)
    following = bisect.bisect_right(outline.ordinals, number)
    if level:
        # a Markdown heading: up to the next Markdown heading of its level or above, or the next plain part heading
        # numbered after its own (## 六、其他 ends at 七、解读机关; a policy's 一、二、 quoted below it does not)
        for other_number, other, _ in outline.headings[found + 1:]:
            if 0 < other <= level:
                end = other_number
                break
        own_value = outline.values.get(number)
        if own_value is not None:
            later = (n for n in outline.ordinals[following:] if outline.values.get(n, 0) > own_value)
            end = min(end, next(later, end))
    elif following < len(outline.ordinals):  # a Chinese ordinal: up to the next line that reads as one
        end = outline.ordinals[following]
    after_name = own[len(name):].strip()
    # a "：" introduces content; a bracket (三、主要内容（政策要点）) is part of the heading itself
    first = [after_name[1:].strip()] if after_name[:1] in ("：", ":") and after_name[1:].strip() else []
    return "\n".join([*first, *outline.lines[number + 1:end]]).strip()


def has_part(text: str, name: str, template: str | None = None) -> bool:
    """Tell whether the text has a heading named ``name`` with content (its ``section``); with a ``template``,
    a line left as the template has it, or holding a placeholder, is none."""
    part = section(text, name)
    if not part:
        return False
    scaffold = _scaffold(template) if template is not None else frozenset()
    return any(_content(line, scaffold) for line in part.splitlines())


def _plain_nfkc(line: str) -> str:
    return unicodedata.normalize("NFKC", _plain(line))


@lru_cache(maxsize=4)
def _scaffold(template: str) -> frozenset[str]:
    """The template's lines, without whitespace and markup: left as they are, they are not content."""
    return frozenset(_DROPPED.sub("", _plain_nfkc(line)) for line in template.splitlines())


def _content(line: str, scaffold: frozenset[str]) -> bool:
    plain = _plain_nfkc(line)
    key = _DROPPED.sub("", plain)  # without "*": the placeholder is looked for in ``plain``
    return bool(key) and key not in scaffold and not (scaffold and _PLACEHOLDER.search(plain) is not None)


def labelled(text: str, label: str) -> str | None:
    """Return the filled-in value of the first line labelled ``label`` (``解读人：张三``), or None."""
    for line in unicodedata.normalize("NFKC", text).splitlines():
        rest = _MARKUP.sub("", line, count=1).lstrip("#").strip()
        for _ in range(MAX_LABELS_PER_LINE):  # each "label：value" of the line in turn (bounded: a crafted
            match = _LABELLED.match(rest)          # line of 30,000 "a:" would cost seconds)
            if match is None:
                break
            key = _ORDINAL.sub("", _BOLD.sub("", match.group(1))).strip()
            following = _NEXT_LABEL.search(match.group(2))
            value = match.group(2)[:following.start()] if following else match.group(2)
            value = _BOLD_VALUE.sub(r"\1", value.strip())
            if key.endswith(label) and value and not _PLACEHOLDER.search(value):
                return value
            if following is None:
                break
            rest = match.group(2)[following.start():].strip()
    return None


def telephone(text: str) -> str | None:
    """Return the telephone number labelled ``…电话``, when it has at least 7 digits."""
    for line in text.splitlines():
        value = labelled(line, "电话")
        for match in _PHONE.finditer(value or ""):
            if sum(c.isdigit() for c in match.group()) >= MIN_PHONE_DIGITS:
                return match.group().strip()
    return None


def normalised(text: str) -> str:
    """The text as copying is judged: NFKC, without list/quote markers, whitespace or Markdown markup."""
    lines = (_MARKUP.sub("", line, count=1) for line in unicodedata.normalize("NFKC", text).splitlines())
    return _DROPPED.sub("", "".join(lines))


@lru_cache(maxsize=2)  # one policy text serves the three shares of a case; two kept to bound memory
def _runs(source: str, n: int) -> frozenset[str]:
    """Every run of ``n`` characters of the normalised source."""
    plain = normalised(source)
    return frozenset(plain[i:i + n] for i in range(len(plain) - n + 1))


def copied_share(text: str, source: str, n: Decimal | int) -> Decimal | None:
    """Return the share of the text's characters inside verbatim runs of at least ``n`` characters of ``source``."""
    size = int(n)
    if size < 1:
        raise ValueError("逐字比对的最短长度应为正整数")
    plain = normalised(text)
    if not plain:
        return None
    runs = _runs(source, size)
    covered = bytearray(len(plain))
    for i in range(len(plain) - size + 1):
        if plain[i:i + size] in runs:
            covered[i:i + size] = b"\x01" * size
    return CONTEXT.divide(Decimal(sum(covered)), Decimal(len(plain)))


# name -> (argument types, result type, function); the types are the expression language's names
TEXT_FUNCTIONS: dict[str, tuple[tuple[str, ...], str, Callable[..., Any]]] = {
    "has_heading": (("string", "string"), "bool", has_heading),
    "has_part": (("string", "string", "string"), "bool", has_part),
    "section": (("string", "string"), "string", section),
    "labelled": (("string", "string"), "string", labelled),
    "telephone": (("string",), "string", telephone),
    "copied_share": (("string", "string", "number"), "number", copied_share),
}
TEXT_OPTIONAL_ARGS = {"has_part": 1}  # how many of a function's last arguments may be left out
