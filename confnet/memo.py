"""``Memo``: a small, thread-safe, least-recently-used cache of values in this process.

Mostly for things that are expensive to make and safe to keep because their key names
everything they depend on (a version stamp read from the database, a frozen event): another
process, or a change in the database, gives another key. ``confnet.watch`` keeps values with the
generation they were read at instead, and checks it before using one. Bounded by count.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):  # noqa: UP046 (Python 3.11 has no class type parameters)
    """At most ``size`` values; locked because a worker may run threads."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[Hashable, T] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for ``key``, else ``make()`` (outside the lock), kept."""
        found = self.find(key)
        if found is not None:
            return found
        made = make()
        self.put(key, made)
        return made

    def put(self, key: Hashable, value: T) -> None:
        """Keep ``value`` for ``key``, forgetting the least recently used beyond ``size``."""
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def find(self, key: Hashable) -> T | None:
        """The value kept for ``key``, or None."""
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
