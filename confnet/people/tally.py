"""Sets of people as integers, and a small number per person for thousands of people at once.

A set of people is a Python ``int`` used as a bit set: bit ``i`` is the ``i``-th person of a
roster (see ``confnet.people.roster``), so intersecting, removing or counting thousands of people
is one operation on an integer, done in C. A ``Tally`` keeps one small number per person as bit
planes (plane ``j`` holds bit ``j`` of everyone's number): adding a weight to a set of people and
picking the best few cost a few dozen such operations, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Iterable

_BITS = tuple(tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256))


def bitset(indices: Iterable[int], size: int) -> int:
    """The set of ``indices`` (each below ``size``)."""
    bits = bytearray((size >> 3) + 1)
    for i in indices:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


def members(people: int, start: int = 0, stop: int | None = None) -> list[int]:
    """The indices in ``people``, ascending; only the ``start``-th to the ``stop``-th of them
    (like a slice), skipping whole bytes to get there."""
    found: list[int] = []
    seen = 0
    data = people.to_bytes((people.bit_length() + 7) >> 3, "little")
    for position, byte in enumerate(data):
        if not byte:
            continue
        bits = _BITS[byte]
        if seen + len(bits) <= start:
            seen += len(bits)
            continue
        for bit in bits:
            if stop is not None and seen >= stop:
                return found
            if seen >= start:
                found.append(position * 8 + bit)
            seen += 1
    return found


class Tally:
    """A non-negative number per person (0 for everyone at first)."""

    def __init__(self) -> None:
        self.planes: list[int] = []

    def add(self, weight: int, people: int) -> None:
        """Add ``weight`` (>= 0) to the number of each person in ``people``."""
        for j in range(weight.bit_length()):
            if not weight >> j & 1:
                continue
            carry, i = people, j
            while carry:
                while i >= len(self.planes):
                    self.planes.append(0)
                plane = self.planes[i]
                self.planes[i] = plane ^ carry
                carry &= plane
                i += 1

    def nonzero(self) -> int:
        """The people whose number is not 0."""
        found = 0
        for plane in self.planes:
            found |= plane
        return found

    def exactly(self, value: int) -> int:
        """The people whose number is ``value`` (> 0)."""
        if value >> len(self.planes):
            return 0
        found = -1  # everyone, narrowed plane by plane
        for j, plane in enumerate(self.planes):
            found &= plane if value >> j & 1 else ~plane
        return found

    def capped(self, cap: int) -> list[tuple[int, int]]:
        """``[(n, people whose number is n, or at least cap if n == cap), ...]`` for n from 1
        to ``cap``: the number as it counts when counting stops at ``cap``."""
        levels, below = [], 0
        for n in range(1, cap):
            people = self.exactly(n)
            levels.append((n, people))
            below |= people
        levels.append((cap, self.nonzero() & ~below))
        return levels

    def best(self, among: int, limit: int) -> list[int]:
        """Up to ``limit`` people of ``among`` with the highest numbers (never 0): highest
        first, ties by index. From the top plane down, keep the people whose number starts
        with the bits of the ``limit``-th best one: the rest of the planes order only them."""
        above, tied = 0, among & self.nonzero()
        for plane in reversed(self.planes):
            higher = tied & plane
            if (above | higher).bit_count() >= limit:
                tied = higher
            else:
                above |= higher
                tied &= ~plane
        chosen = members(above) + members(tied, stop=limit - above.bit_count())
        return sorted(chosen, key=lambda i: (-self.value(i), i))

    def value(self, i: int) -> int:
        """The number of person ``i``."""
        return sum(1 << j for j, plane in enumerate(self.planes) if plane >> i & 1)
