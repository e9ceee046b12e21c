"""Which offers exist: ids, creation instants and search facets, per Paris day.

The corpus is generated lazily, one Paris calendar day at a time, from the seed and the
day alone, so any day can be asked for in any order and always holds the same offers.
A day keeps only compact records (id, creation instant, facets); the JSON document of an
offer is built from its record when it is served (see `offer_document`).

Ids are unique across all days. France Travail offers get ids like ``184TRJB`` (three
digits, four letters) and partner offers seven digits, both numbered in creation order
from the first day that holds offers, as the real ids grow over time.

A day holds offers when it lies between ``first_day`` and ``last_day`` or is named in
``day_volumes`` or ``spikes``.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from pipelines.calendar import PARIS, paris_date, paris_day_window
from pipelines.simulator import geography, nomenclature
from pipelines.simulator.config import DEFAULT_SPAN_DAYS, SimulatorConfig
from pipelines.simulator.offer_document import build_offer
from pipelines.simulator.records import (
    PLACE_COMMUNE,
    PLACE_DEPARTEMENT,
    PLACE_FRANCE,
    PLACE_REGION,
    CompactOffer,
    Revision,
)

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTER_SPACE = 26**4
_FT_FIRST_PREFIX = 180
_FT_CAPACITY = (1000 - _FT_FIRST_PREFIX) * _LETTER_SPACE
_PARTNER_FIRST = 5_000_000
_PARTNER_CAPACITY = 10_000_000 - _PARTNER_FIRST

FT_ID = re.compile(r"^\d{3}[A-Z]{4}$")
PARTNER_ID = re.compile(r"^\d{7}$")

_FT_CONTRACTS = (
    ("CDI", 50), ("CDD", 25), ("MIS", 14), ("SAI", 4), ("LIB", 2), ("DIN", 1),
    ("CCE", 1), ("FRA", 1), ("TTI", 1), ("DDI", 1),
)  # fmt: skip
_PARTNER_CONTRACTS = (("CDI", 70), ("CDD", 20), ("MIS", 10))
_NON_SALARIED = frozenset({"LIB", "CCE", "FRA", "REP"})
_NATURES = (("E1", 90), ("E2", 5), ("FS", 2), ("CU", 2), ("CC", 1))
# Buckets of filtresPossibles "experience"; the real API returns "4" besides 0-3.
_EXPERIENCES = (("0", 30), ("1", 5), ("2", 35), ("3", 15), ("4", 15))
_FT_PLACES = ((PLACE_COMMUNE, 85), (PLACE_DEPARTEMENT, 10), (PLACE_REGION, 3),
              (PLACE_FRANCE, 2))  # fmt: skip
_PARTNER_PLACES = ((PLACE_COMMUNE, 60), (PLACE_DEPARTEMENT, 30), (PLACE_REGION, 3),
                   (PLACE_FRANCE, 7))  # fmt: skip


class DayOffers:
    """The offers created on one Paris day, newest first (then by id)."""

    def __init__(self, day: date, offers: list[CompactOffer]) -> None:
        self.day = day
        self.offers = offers
        self._negated_ms = [-offer.created_ms for offer in offers]
        self.by_id = {offer.id: offer for offer in offers}

    def between(self, start_ms: int | None, end_ms: int | None) -> list[CompactOffer]:
        """Offers created in [start_ms, end_ms), newest first."""
        low = 0 if end_ms is None else bisect.bisect_right(self._negated_ms, -end_ms)
        high = (
            len(self.offers)
            if start_ms is None
            else bisect.bisect_right(self._negated_ms, -start_ms)
        )
        return self.offers[low:high]


def _weighted(pairs: tuple) -> tuple[tuple, list[int]]:
    values = tuple(value for value, _ in pairs)
    cumulative = list(itertools.accumulate(weight for _, weight in pairs))
    return values, cumulative


def _pick(rng: random.Random, table: tuple[tuple, list[int]]):
    values, cumulative = table
    return values[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def encode_ft_id(number: int) -> str:
    """The n-th France Travail id: ``180AAAA``, ``180AAAB``, ..."""
    prefix, rest = divmod(number, _LETTER_SPACE)
    letters = []
    for _ in range(4):
        rest, digit = divmod(rest, 26)
        letters.append(_LETTERS[digit])
    return f"{_FT_FIRST_PREFIX + prefix:03d}" + "".join(reversed(letters))


def decode_ft_id(offer_id: str) -> int:
    number = int(offer_id[:3]) - _FT_FIRST_PREFIX
    for letter in offer_id[3:]:
        number = number * 26 + _LETTERS.index(letter)
    return number


def _to_ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


class Corpus:
    """Every offer the simulator holds, and the withdrawals and updates since."""

    def __init__(self, config: SimulatorConfig, today: date) -> None:
        self.seed = config.seed
        self._config = config
        # By default the corpus ends yesterday: a day still in progress would hold
        # offers created in the future.
        yesterday = today - timedelta(days=1)
        self.last_day = config.last_day or max(yesterday, config.first_day or yesterday)
        self.first_day = config.first_day or (
            self.last_day - timedelta(days=DEFAULT_SPAN_DAYS - 1)
        )
        self._spikes: dict[date, list] = {}
        for spike in config.spikes:
            self._spikes.setdefault(spike.day, []).append(spike)

        named = set(config.day_volumes) | set(self._spikes)
        span = (self.last_day - self.first_day).days + 1
        in_range = {self.first_day + timedelta(days=n) for n in range(span)}
        self.days: tuple[date, ...] = tuple(sorted(in_range | named))
        self._day_index = {day: index for index, day in enumerate(self.days)}

        # Offsets of each day's first France Travail and partner id.
        ft_counts = [self.volume(day) - self.partner_count(day) for day in self.days]
        partner_counts = [self.partner_count(day) for day in self.days]
        self._ft_offsets = [0, *itertools.accumulate(ft_counts)]
        self._partner_offsets = [0, *itertools.accumulate(partner_counts)]
        if self._ft_offsets[-1] > _FT_CAPACITY:
            raise ValueError("too many France Travail offers for the id space")
        if self._partner_offsets[-1] > _PARTNER_CAPACITY:
            raise ValueError("too many partner offers for the id space")

        self._lock = threading.Lock()
        self._generated: dict[date, DayOffers] = {}
        self.withdrawn: set[str] = set()
        self.revisions: dict[str, Revision] = {}
        self.version = 0

    # Volumes

    def _base_volume(self, day: date) -> int:
        if day in self._config.day_volumes:
            return self._config.day_volumes[day]
        return self._config.offers_per_day if day in self._day_index else 0

    def volume(self, day: date) -> int:
        """Offers created on a Paris day, spikes included, withdrawn ones included."""
        spiked = sum(spike.offers for spike in self._spikes.get(day, ()))
        return self._base_volume(day) + spiked

    def partner_count(self, day: date) -> int:
        return round(self.volume(day) * self._config.partner_share)

    @property
    def total(self) -> int:
        return self._ft_offsets[-1] + self._partner_offsets[-1]

    # Days

    def day(self, day: date) -> DayOffers:
        """The offers of one Paris day, generated on first use."""
        with self._lock:
            cached = self._generated.get(day)
            if cached is None:
                cached = DayOffers(day, self._generate(day))
                self._generated[day] = cached
            return cached

    def days_overlapping(self, start_ms: int | None, end_ms: int | None) -> list[date]:
        """Days holding offers that may have been created in [start_ms, end_ms)."""
        days = list(self.days)
        if start_ms is not None:
            first = paris_date(datetime.fromtimestamp(start_ms / 1000, UTC))
            days = [day for day in days if day >= first]
        if end_ms is not None:
            last = paris_date(datetime.fromtimestamp((end_ms - 1) / 1000, UTC))
            days = [day for day in days if day <= last]
        return days

    def ids_created_on(self, day: date, include_withdrawn: bool = False) -> list[str]:
        """The ids of the offers created on a Paris day, oldest first.

        This is the ground truth a day's load must reproduce: withdrawn offers are left
        out unless asked for, since the API no longer serves them.
        """
        if day not in self._day_index:
            return []
        offers = reversed(self.day(day).offers)
        return [
            offer.id
            for offer in offers
            if include_withdrawn or offer.id not in self.withdrawn
        ]

    # Single offers

    def compact(self, offer_id: str) -> CompactOffer | None:
        """The record of an id, withdrawn or not; None if no such offer exists."""
        day = self._day_of_id(offer_id)
        if day is None:
            return None
        return self.day(day).by_id.get(offer_id)

    def offer(self, offer_id: str) -> dict | None:
        """The JSON document of a served offer; None if unknown or withdrawn."""
        record = self.compact(offer_id)
        if record is None or offer_id in self.withdrawn:
            return None
        return self.document(record)

    def document(self, record: CompactOffer) -> dict:
        """The JSON document of a record, with its latest update applied."""
        return build_offer(record, self.seed, self.revisions.get(record.id))

    def is_served(self, offer_id: str) -> bool:
        return offer_id not in self.withdrawn and self.compact(offer_id) is not None

    # Changes

    def withdraw(self, ids: Iterable[str]) -> int:
        """Stop serving offers; returns how many served offers were withdrawn."""
        with self._lock:
            fresh = {i for i in ids if i not in self.withdrawn}
        known = {i for i in fresh if self.compact(i) is not None}
        with self._lock:
            self.withdrawn |= known
            self.version += 1
        return len(known)

    def update(self, ids: Iterable[str], now: float) -> int:
        """Move ``dateActualisation`` of served offers to ``now`` and change a field."""
        now_ms = int(now * 1000)
        targets = [i for i in dict.fromkeys(ids) if self.is_served(i)]
        with self._lock:
            for offer_id in targets:
                previous = self.revisions.get(offer_id)
                count = previous.count + 1 if previous else 1
                self.revisions[offer_id] = Revision(count, now_ms)
            self.version += 1
        return len(targets)

    # Generation

    def _day_of_id(self, offer_id: str) -> date | None:
        if FT_ID.match(offer_id):
            number, offsets = decode_ft_id(offer_id), self._ft_offsets
        elif PARTNER_ID.match(offer_id):
            number, offsets = int(offer_id) - _PARTNER_FIRST, self._partner_offsets
        else:
            return None
        if not 0 <= number < offsets[-1]:
            return None
        return self.days[bisect.bisect_right(offsets, number) - 1]

    def _instants(self, rng: random.Random, day: date) -> list[int]:
        window = paris_day_window(day)
        day_start, day_end = _to_ms(window.start), _to_ms(window.end)
        base = self._base_volume(day)
        instants = [rng.randrange(day_start, day_end) for _ in range(base)]
        for spike in self._spikes.get(day, ()):
            local = datetime.combine(day, time(spike.hour), tzinfo=PARIS)
            start = max(_to_ms(local.astimezone(UTC)), day_start)
            end = min(start + 3_600_000, day_end)
            instants += [rng.randrange(start, end) for _ in range(spike.offers)]
        return instants

    def _generate(self, day: date) -> list[CompactOffer]:
        if day not in self._day_index:
            return []
        rng = random.Random(f"{self.seed}:day:{day.isoformat()}")
        instants = self._instants(rng, day)
        partners = set(rng.sample(range(len(instants)), self.partner_count(day)))
        # Partner offers carry whole seconds (".000Z"), as in captured responses.
        timeline = sorted(
            (instant - instant % 1000 if index in partners else instant, index)
            for index, instant in enumerate(instants)
        )

        index = self._day_index[day]
        next_ft = self._ft_offsets[index]
        next_partner = self._partner_offsets[index]
        offers = []
        for created_ms, original in timeline:
            partner = original in partners
            if partner:
                offer_id = str(_PARTNER_FIRST + next_partner)
                next_partner += 1
            else:
                offer_id = encode_ft_id(next_ft)
                next_ft += 1
            offers.append(self._facets(rng, offer_id, created_ms, partner))
        offers.sort(key=lambda offer: (-offer.created_ms, offer.id))
        return offers

    def _facets(
        self, rng: random.Random, offer_id: str, created_ms: int, partner: bool
    ) -> CompactOffer:
        communes = geography.communes()
        commune = rng.randrange(len(communes))
        place = _pick(rng, _PARTNER_PLACE_TABLE if partner else _FT_PLACE_TABLE)
        departement = region = None
        if place != PLACE_FRANCE:
            region = geography.region_of_departement(communes[commune].departement).code
        if place in (PLACE_COMMUNE, PLACE_DEPARTEMENT):
            departement = communes[commune].departement

        contract = _pick(
            rng, _PARTNER_CONTRACT_TABLE if partner else _FT_CONTRACT_TABLE
        )
        nature = "NS" if contract in _NON_SALARIED else _pick(rng, _NATURE_TABLE)
        experience = _pick(rng, _EXPERIENCE_TABLE)
        # "9" cadre, "0" non-cadre; partner offers carry no qualification ("X").
        qualification = "X" if partner else ("9" if rng.random() < 0.2 else "0")

        return CompactOffer(
            id=offer_id,
            created_ms=created_ms,
            partner=partner,
            commune=commune,
            place=place,
            rome=rng.randrange(len(nomenclature.metiers())),
            type_contrat=contract,
            nature=nature,
            experience=experience,
            qualification=qualification,
            departement=departement,
            region=region,
        )


_FT_CONTRACT_TABLE = _weighted(_FT_CONTRACTS)
_PARTNER_CONTRACT_TABLE = _weighted(_PARTNER_CONTRACTS)
_NATURE_TABLE = _weighted(_NATURES)
_EXPERIENCE_TABLE = _weighted(_EXPERIENCES)
_FT_PLACE_TABLE = _weighted(_FT_PLACES)
_PARTNER_PLACE_TABLE = _weighted(_PARTNER_PLACES)
