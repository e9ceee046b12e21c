"""Schema drift: the JSON paths of an offer that the warehouse does not know.

The API may add a field at any time. Such a field is kept in the raw JSON column (the
load never fails on it) and its path is reported, so that someone can decide whether it
deserves a column. Paths are written with dots between keys and ``[]`` for the items of
an array: ``entreprise.siret``, ``competences[].niveau``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.warehouse.fields import KNOWN_PATHS
from pipelines.warehouse.storable import storable_text


@dataclass
class _Node:
    """The known keys of one JSON object, and the nodes of the objects nested in it.

    ``nested`` lists only the keys worth descending into: objects, and arrays whose
    items are objects. Scalars and arrays of scalars need no further look.
    """

    keys: set[str] = field(default_factory=set)
    children: dict[str, _Node] = field(default_factory=dict)
    arrays: set[str] = field(default_factory=set)

    def nested(self) -> tuple[tuple[str, bool, _Node], ...]:
        return tuple(
            (key, key in self.arrays, child)
            for key, child in self.children.items()
            if child.keys
        )


def _build_tree(paths: frozenset[str]) -> _Node:
    root = _Node()
    for path in sorted(paths):
        node = root
        for segment in path.split("."):
            key = segment.removesuffix("[]")
            node.keys.add(key)
            if segment.endswith("[]"):
                node.arrays.add(key)
            node = node.children.setdefault(key, _Node())
    return root


@dataclass(frozen=True)
class _Walker:
    """A compiled node: its path prefix, frozen key set and nested walkers, so that a
    walk does no more than set arithmetic and lookups."""

    prefix: str
    keys: frozenset[str]
    objects: tuple[tuple[str, _Walker], ...]
    arrays: tuple[tuple[str, _Walker], ...]

    @classmethod
    def compile(cls, node: _Node, prefix: str = "") -> _Walker:
        objects, arrays = [], []
        for key, is_array, child in node.nested():
            if is_array:
                arrays.append((key, cls.compile(child, f"{prefix}{key}[].")))
            else:
                objects.append((key, cls.compile(child, f"{prefix}{key}.")))
        return cls(prefix, frozenset(node.keys), tuple(objects), tuple(arrays))

    def walk(self, value: dict[str, Any], found: set[str]) -> None:
        unknown = value.keys() - self.keys
        if unknown:
            # A key is reported in logs and run metadata: it must be storable text.
            found.update(storable_text(self.prefix + str(key)) for key in unknown)
        for key, walker in self.objects:
            item = value.get(key)
            if item and isinstance(item, dict):
                walker.walk(item, found)
        for key, walker in self.arrays:
            items = value.get(key)
            if items and isinstance(items, list):
                for element in items:
                    if isinstance(element, dict):
                        walker.walk(element, found)


_ROOT = _Walker.compile(_build_tree(KNOWN_PATHS))


def collect_unknown_paths(offer: dict[str, Any], found: set[str]) -> None:
    """Add to ``found`` every path of ``offer`` that the warehouse does not know.

    A value of an unexpected type (a string where an object was documented) is not
    drift of a path; the typed column reads it as best it can and the raw JSON keeps it.
    """
    _ROOT.walk(offer, found)
