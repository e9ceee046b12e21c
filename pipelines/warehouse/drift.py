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
    """A compiled node: frozen key set and the nested walkers, for a fast walk."""

    keys: frozenset[str]
    nested: tuple[tuple[str, bool, _Walker], ...]

    @classmethod
    def compile(cls, node: _Node) -> _Walker:
        nested = tuple(
            (key, is_array, cls.compile(child))
            for key, is_array, child in node.nested()
        )
        return cls(frozenset(node.keys), nested)

    def walk(self, value: dict[str, Any], prefix: str, found: set[str]) -> None:
        unknown = value.keys() - self.keys
        if unknown:
            found.update(f"{prefix}{key}" for key in unknown)
        for key, is_array, walker in self.nested:
            item = value.get(key)
            if not item:
                continue
            if is_array:
                if isinstance(item, list):
                    for element in item:
                        if isinstance(element, dict):
                            walker.walk(element, f"{prefix}{key}[].", found)
            elif isinstance(item, dict):
                walker.walk(item, f"{prefix}{key}.", found)


_ROOT = _Walker.compile(_build_tree(KNOWN_PATHS))


def collect_unknown_paths(offer: dict[str, Any], found: set[str]) -> None:
    """Add to ``found`` every path of ``offer`` that the warehouse does not know.

    A value of an unexpected type (a string where an object was documented) is not
    drift of a path; the typed column reads it as best it can and the raw JSON keeps it.
    """
    _ROOT.walk(offer, "", found)
