"""Rendered page fragments kept per process, with slots for what differs per viewer.

A fragment is HTML rendered once for everyone (a day of the programme), in which templates
leave markers where each viewer's own state goes:

- ``<?star ID?>STARRED<?or?>NOT STARRED<?end?>``: both renderings of a session's star button,
  one chosen per request, followed by how many people starred it;
- ``<?NAME?>``: a named slot (``nownext``), filled per request with another fragment.

Markers can't clash with content: escaped text and attributes never hold a ``<``.

The cache is a least-recently-used map bounded by the bytes it holds. Keys are built by the
caller from version stamps read from the database, so a stale entry is never found again; it
only waits to be evicted.
"""

import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from markupsafe import Markup

_MARKER = re.compile(r"<\?star (\d+)\?>(.*?)<\?or\?>(.*?)<\?end\?>|<\?(\w+)\?>", re.S)


@dataclass(frozen=True, slots=True)
class StarSlot:
    item_id: int
    starred: str
    not_starred: str

    @property
    def variants(self) -> tuple[str, str]:
        return self.starred, self.not_starred


@dataclass(frozen=True, slots=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Fragment:
    """Rendered HTML cut at its markers: text, ``StarSlot`` and ``Slot`` parts."""

    parts: tuple[str | StarSlot | Slot, ...]
    item_ids: list[int] = field(init=False, repr=False, compare=False)  # with a star, in order
    slots: frozenset[str] = field(init=False, repr=False, compare=False)  # the named slots

    def __post_init__(self):
        ids = dict.fromkeys(p.item_id for p in self.parts if isinstance(p, StarSlot))
        object.__setattr__(self, "item_ids", list(ids))
        names = frozenset(p.name for p in self.parts if isinstance(p, Slot))
        object.__setattr__(self, "slots", names)

    @classmethod
    def parse(cls, html: str) -> "Fragment":
        parts: list[str | StarSlot | Slot] = []
        done = 0
        for match in _MARKER.finditer(html):
            parts.append(html[done : match.start()])
            item_id, starred, not_starred, name = match.groups()
            parts.append(Slot(name) if name else StarSlot(int(item_id), starred, not_starred))
            done = match.end()
        parts.append(html[done:])
        return cls(tuple(part for part in parts if part != ""))

    @property
    def size(self) -> int:
        """Roughly the bytes it holds (for the cache's bound)."""
        strings = [p for p in self.parts if isinstance(p, str)]
        strings += [s for p in self.parts if isinstance(p, StarSlot) for s in p.variants]
        return sum(sys.getsizeof(s) for s in strings) + 64 * len(self.parts)

    def fill(
        self,
        *,
        stars: bool,
        starred: set[int] = frozenset(),
        counts: dict[int, int] | None = None,
        slots: dict[str, str] | None = None,
    ) -> Markup:
        """The HTML for one viewer: star buttons (``stars``) in ``starred``'s state with
        ``counts``, and each named slot's HTML (missing ones are left empty)."""
        counts, slots = counts or {}, slots or {}
        out = []
        for part in self.parts:
            if type(part) is str:
                out.append(part)
            elif type(part) is Slot:
                out.append(slots.get(part.name, ""))
            elif stars:
                out.append(part.starred if part.item_id in starred else part.not_starred)
                if count := counts.get(part.item_id):
                    # As the item_row macro would write it (schedule.js updates it in place).
                    out.append(f"<small>{count} ★</small>")
        return Markup("".join(out))  # noqa: S704 (rendered by templates, counts are ints)


class FragmentCache:
    """A thread-safe LRU of fragments (or other values), bounded by their total size."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used = max_bytes, 0
        self.entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        """The value stored under ``key``, or None."""
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            self.entries.move_to_end(key)
            return found[0]

    def put(self, key, value, size: int) -> None:
        """Keep ``value`` (about ``size`` bytes), evicting the least recently used entries."""
        if size > self.max_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.max_bytes:
                _, (_, freed) = self.entries.popitem(last=False)
                self.used -= freed

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0
