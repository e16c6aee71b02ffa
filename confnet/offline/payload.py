"""Reading the changes a phone queued offline (the JSON body of ``POST .../offline/changes``):
anything malformed is refused whole, before a single change is made."""

from confnet.offline.changes import Change
from confnet.schedule.services import MAX_ID

MAX_CHANGES = 200
MAX_KEY = 120
MAX_VERSION = 999_999_999


class PayloadError(ValueError):
    """The body is not a list of changes this app sends."""


def _item(raw, *, optional: bool) -> int | None:
    if raw is None and optional:
        return None
    if type(raw) is not int or not 0 < raw <= MAX_ID:
        raise PayloadError("item")
    return raw


def _change(raw) -> Change:
    if not isinstance(raw, dict):
        raise PayloadError("change")
    key, kind = raw.get("key"), raw.get("kind")
    if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY:
        raise PayloadError("key")
    if kind == "star":
        starred = raw.get("starred")
        if type(starred) is not bool:
            raise PayloadError("starred")
        return Change(key, "star", _item(raw.get("item"), optional=False), starred=starred)
    if kind == "note":
        body, version = raw.get("body"), raw.get("version")
        if not isinstance(body, str) or "\x00" in body:
            raise PayloadError("body")
        if type(version) is not int or not 0 <= version <= MAX_VERSION:
            raise PayloadError("version")
        item = _item(raw.get("item"), optional=True)
        return Change(key, "note", item, body=body, version=version)
    raise PayloadError("kind")


def parse_changes(data) -> list[Change]:
    """The changes in ``data`` (``{"changes": [...]}``), in order; PayloadError otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("changes"), list):
        raise PayloadError("changes")
    raw = data["changes"]
    if not 0 < len(raw) <= MAX_CHANGES:
        raise PayloadError("count")
    return [_change(entry) for entry in raw]
