"""Line diffs between two texts, as data for templates (which escape every line)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: ``kind`` is "same", "add", "del", or "gap" (lines left out)."""

    kind: str
    text: str
    old: int | None = None  # line number in the old text (1-based)
    new: int | None = None  # line number in the new text


@dataclass(frozen=True)
class Diff:
    lines: list[DiffLine]
    added: int
    removed: int

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed)


def line_diff(old: str, new: str, context: int = 3) -> Diff:
    """What changed from ``old`` to ``new``, line by line, with ``context`` unchanged lines
    around each change and a "gap" line where unchanged lines are left out."""
    a, b = old.split("\n") if old else [], new.split("\n") if new else []
    matcher = difflib.SequenceMatcher(None, a, b)
    lines: list[DiffLine] = []
    added = removed = 0
    groups = list(matcher.get_grouped_opcodes(context))
    for index, group in enumerate(groups):
        if index or group[0][1] > 0:
            lines.append(DiffLine("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", a[i], i + 1, j1 + i - i1 + 1) for i in range(i1, i2)]
                continue
            lines += [DiffLine("del", a[i], old=i + 1) for i in range(i1, i2)]
            lines += [DiffLine("add", b[j], new=j + 1) for j in range(j1, j2)]
            removed += i2 - i1
            added += j2 - j1
    if groups and groups[-1][-1][2] < len(a):
        lines.append(DiffLine("gap", ""))
    return Diff(lines if added or removed else [], added, removed)
