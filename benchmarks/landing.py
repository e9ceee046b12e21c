"""Landing benchmark: synthetic offers into PostgreSQL and SQLite, and pandas.to_sql.

    .venv/bin/python benchmarks/landing.py                     # 1,000,000 offers
    .venv/bin/python benchmarks/landing.py --offers 100000     # smaller run
    .venv/bin/python benchmarks/landing.py --stages            # and where the time goes

Offers have the shapes of the real samples (France Travail offers with contact and
skills, partner offers, workplaces given as a région) and are spread over Paris days,
one `OffresLoader` (one transaction) per day, added page by page as the client yields
them. Every target runs in a process of its own, so each peak memory (RSS) is its own.
The pandas baseline, always in one process, writes the same flattened rows (the
`offres` row and the child rows) with ``DataFrame.to_sql`` into plain tables: appends
only, no deduplication, history or privacy filtering, which is the least a loader must
do.

The clock runs from the workers' common start to the last one's end and includes
building the synthetic offers (printed first, a few µs per offer) as a stand-in for
the API client handing over its pages. Besides wall time, each row gives the CPU spent
per offer by the loading process (``client CPU``, every thread) and by the PostgreSQL
backends serving its connections (``server CPU``, when the server runs on this machine;
the server's shared WAL writer and checkpointer are not included).

``--stages`` then loads one more day in this process with every stage timed: Python
CPU for flattening and for the COPY rows, and server CPU for the COPY and for each
statement of the final transaction. ``--prototype`` applies a schema change to the
scratch PostgreSQL database only, to measure a trade-off without a migration.

PostgreSQL runs in a scratch database created on the server of ``--postgres-url`` and
dropped afterwards; SQLite in a temporary file.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pipelines.warehouse.flatten import CHILD_TABLE_NAMES

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PAGE_SIZE = 150
# Offers per DataFrame.to_sql call of the pandas baseline.
PANDAS_BATCH = 10_000

# Schema trade-offs measured on the scratch PostgreSQL database only (no migration):
# what each one saves is printed next to the plain schema's figures.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    # The raw JSON compressed inside the row instead of a TOAST table of its own:
    # one heap write and no TOAST index entry per offer; rows three times as wide for
    # queries that scan `offres` without reading `raw`.
    "raw-inline": ("ALTER TABLE offres ALTER COLUMN raw SET STORAGE MAIN",),
    # No index on the creation day: partition counts and day filters scan `offres`.
    "no-day-index": ("DROP INDEX ix_offres_jour_creation",),
    # No primary key on the child tables: no index entry per child row; joins from
    # `offres` to a child table hash it whole, and duplicates go unchecked.
    "children-without-key": tuple(
        f"ALTER TABLE {name} DROP CONSTRAINT {name}_pkey" for name in CHILD_TABLE_NAMES
    ),
    # No write-ahead log for the warehouse tables: a crash of the server empties them.
    "unlogged": tuple(
        f"ALTER TABLE {name} SET UNLOGGED"
        for name in (*CHILD_TABLE_NAMES, "offres_history", "offres")
    ),
}

_DESCRIPTION = (
    "Au sein de la direction des systèmes d'information, vous concevez, développez et "
    "maintenez les chaînes d'alimentation de l'entrepôt de données : ingestion des "
    "sources, contrôles de qualité, modélisation et mise à disposition des équipes "
    "métier.\n\nVos missions :\n- recueillir les besoins des analystes ;\n- écrire et "
    "tester les traitements (Python, SQL) ;\n- superviser les chargements quotidiens "
    "et corriger les anomalies ;\n- documenter les jeux de données.\n\nProfil : "
    "formation supérieure en informatique, première expérience appréciée, goût du "
    "travail en équipe et de la rigueur. Télétravail partiel possible après la "
    "période d'intégration. Poste basé à proximité des transports en commun."
)
_COMMUNES = [
    ("75 - PARIS 08", "75008", "75108", 48.873635, 2.3116),
    ("69 - LYON 03", "69003", "69383", 45.759, 4.8496),
    ("44 - NANTES", "44000", "44109", 47.2173, -1.5534),
    ("31 - TOULOUSE", "31000", "31555", 43.6045, 1.444),
    ("59 - LILLE", "59000", "59350", 50.6292, 3.0573),
    ("13 - MARSEILLE 07", "13007", "13207", 43.2828, 5.3623),
    ("67 - STRASBOURG", "67000", "67482", 48.5734, 7.7521),
    ("92 - PUTEAUX", "92800", "92062", 48.8846, 2.2389),
]
_ROME = [("M1811", "Data engineer"), ("M1805", "Études et développement informatique")]
_CONTRACTS = [("CDI", "CDI"), ("CDD", "CDD - 12 Mois"), ("MIS", "Mission intérimaire")]
_SALARIES = [
    {"libelle": "Annuel de 40000.0 Euros à 45000.0 Euros sur 12.0 mois"},
    {
        "libelle": "Mensuel de 2500 Euros à 2800 Euros sur 12 mois",
        "complement1": "Primes",
    },
    {},
    {"commentaire": "Selon profil", "complement1": "Autre"},
]
_COMPETENCES = [
    {
        "code": "300067",
        "libelle": "Analyser, exploiter, structurer des données",
        "exigence": "S",
    },
    {"code": "300488", "libelle": "Concevoir et gérer un projet", "exigence": "S"},
    {"code": "120209", "libelle": "Enrichir une base de données", "exigence": "S"},
    {"libelle": "Python", "exigence": "E"},
]
_QUALITES = [
    {
        "libelle": "Faire preuve d'autonomie",
        "description": "Capacité à prendre en charge son activité sans devoir être "
        "encadré de façon continue.",
    },
    {
        "libelle": "Faire preuve de rigueur et de précision",
        "description": "Capacité à réaliser des tâches en suivant avec exactitude les "
        "règles, les procédures, les instructions qui ont été fournies.",
    },
]


FIRST_DAY = date(2026, 1, 5)
# Every field but the id, the dates and the URLs repeats with this period.
_SHAPES = 24


def _ft_id(index: int) -> str:
    """A France Travail id like 184TRJB: three digits, four capital letters."""
    letters = "".join(chr(65 + index // 26**k % 26) for k in range(4))
    return f"{index // 26**4 % 1000:03d}{letters}"


def _shape(index: int) -> dict[str, Any]:
    """The fields of offer ``index`` that depend only on ``index % _SHAPES``."""
    libelle, postcode, commune, latitude, longitude = _COMMUNES[index % 8]
    rome, rome_label = _ROME[index % 2]
    contract, contract_label = _CONTRACTS[index % 3]
    partner = index % 4 == 3
    offer: dict[str, Any] = {
        "id": None,
        "intitule": "Data engineer (H/F)",
        "description": _DESCRIPTION,
        "dateCreation": None,
        "dateActualisation": None,
        "lieuTravail": (
            {"libelle": "Grand Est"}
            if index % 8 == 7
            else {
                "libelle": libelle,
                "latitude": latitude,
                "longitude": longitude,
                "codePostal": postcode,
                "commune": commune,
            }
        ),
        "romeCode": rome,
        "romeLibelle": rome_label,
        "appellationlibelle": rome_label,
        "entreprise": {"nom": "ENTREPRISE", "entrepriseAdaptee": False},
        "typeContrat": contract,
        "typeContratLibelle": contract_label,
        "natureContrat": "Contrat travail",
        "experienceExige": "E",
        "experienceLibelle": "3 An(s)",
        "salaire": _SALARIES[index % 4],
        "alternance": False,
        "nombrePostes": 1,
        "accessibleTH": False,
        "origineOffre": None,
    }
    if not partner:
        offer.update(
            competences=_COMPETENCES[: 1 + index % 4],
            formations=[
                {"niveauLibelle": "Bac+5 et plus ou équivalents", "exigence": "S"}
            ],
            qualitesProfessionnelles=_QUALITES,
            contact={
                "nom": "ENTREPRISE - Mme Camille Durand",
                "telephone": "01 23 45 67 89",
                "courriel": "Pour postuler, utiliser le lien suivant : https://example.org",
            },
            agence={},
            dureeTravailLibelle="35H Travail en journée",
            dureeTravailLibelleConverti="Temps plein",
            qualificationCode="9",
            qualificationLibelle="Cadre",
            codeNAF="62.02A",
            secteurActivite="62",
            secteurActiviteLibelle="Conseil en systèmes et logiciels informatiques",
            offresManqueCandidats=False,
        )
    return offer


_SHAPE_OFFERS = [_shape(index) for index in range(_SHAPES)]


def synthetic_offers(day_number: int, count: int, per_day: int) -> Iterator[dict]:
    """The ``count`` offers of day ``day_number`` (from FIRST_DAY): a quarter are
    partner offers (no contact, fewer fields), one in eight is placed at a région.
    Ids are unique across days. Each offer is a fresh dict; the nested objects that
    do not vary are shared, as the loader never modifies an offer."""
    day = (FIRST_DAY + timedelta(days=day_number)).isoformat()
    for position in range(count):
        index = day_number * per_day + position
        # Between 06:00 and 20:00 UTC, so always on the same Paris day.
        second = 6 * 3600 + position * 50400 // per_day
        stamp = (
            f"{day}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
            f".{index % 1000:03d}Z"
        )
        partner = index % 4 == 3
        offer = dict(_SHAPE_OFFERS[index % _SHAPES])
        offer["id"] = f"{index:07d}" if partner else _ft_id(index)
        offer["dateCreation"] = stamp
        offer["dateActualisation"] = stamp
        offer["origineOffre"] = {
            "origine": "2" if partner else "1",
            "urlOrigine": f"https://example.org/offres/{index}",
        }
        if partner:
            offer["origineOffre"]["partenaires"] = [
                {
                    "nom": "PARTENAIRE",
                    "url": f"https://example.org/p/{index}",
                    "logo": "",
                }
            ]
        yield offer


def _days(offers: int, per_day: int) -> list[tuple[int, date, int]]:
    """(day number, Paris day, offers that day) of every partition of the run."""
    days = math.ceil(offers / per_day)
    return [
        (
            number,
            FIRST_DAY + timedelta(days=number),
            min(per_day, offers - number * per_day),
        )
        for number in range(days)
    ]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU of a process of this machine, or None if it is not ours
    to read (a server elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerCpu:
    """The CPU used by the PostgreSQL backends of an engine's connections.

    Each new connection records its backend's CPU so far; `seconds` is what they
    have used since. It must be read before the engine is disposed (a closed
    connection's backend is gone). Nothing is measured on SQLite or for a server on
    another machine.
    """

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self._start: dict[int, float] = {}
        self.available = engine.dialect.name == "postgresql"
        if self.available:
            event.listen(engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        pid = dbapi_connection.info.backend_pid
        cpu = _process_cpu_seconds(pid)
        if cpu is None:
            self.available = False
        else:
            self._start[pid] = cpu

    def seconds(self) -> float | None:
        if not self.available:
            return None
        total = 0.0
        for pid, start in self._start.items():
            cpu = _process_cpu_seconds(pid)
            if cpu is not None:
                total += cpu - start
        return total


@dataclass
class WorkerResult:
    """What one worker process did: its offers and child rows, memory and CPU."""

    offers: int
    child_rows: int
    rss_start_mb: float
    peak_rss_mb: float
    client_cpu: float = 0.0
    server_cpu: float | None = None
    error: str = ""


@dataclass
class Measure:
    """One target and method: every worker's result and the wall time they took."""

    target: str
    method: str
    workers: list[WorkerResult]
    seconds: float

    @property
    def offers(self) -> int:
        return sum(worker.offers for worker in self.workers)

    @property
    def rate(self) -> float:
        return self.offers / self.seconds if self.seconds else 0.0

    def cpu_per_offer(self, attribute: str) -> float | None:
        values = [getattr(worker, attribute) for worker in self.workers]
        if not self.offers or any(value is None for value in values):
            return None
        return sum(values) / self.offers * 1e6


def _pages(offers: Iterator[dict], size: int) -> Iterator[list[dict]]:
    page: list[dict] = []
    for offer in offers:
        page.append(offer)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def _my_days(offers: int, per_day: int, worker: int, workers: int):
    return [day for day in _days(offers, per_day) if day[0] % workers == worker]


def land_with_warehouse(
    url: str, days: list[tuple[int, date, int]], per_day: int
) -> float | None:
    """This project's loader: staging, one transaction per day, child tables.

    Returns the server CPU seconds its connections used (None if not measurable).
    """
    from pipelines.warehouse import OffresLoader, create_engine

    engine = create_engine(url)
    server = ServerCpu(engine)
    for number, day, count in days:
        with OffresLoader(engine, day) as loader:
            for page in _pages(synthetic_offers(number, count, per_day), PAGE_SIZE):
                loader.add(page)
            result = loader.commit()
        if result.inserted != count:
            raise AssertionError(f"{day}: {result}")
    seconds = server.seconds()
    engine.dispose()
    return seconds


def land_with_pandas(
    url: str, days: list[tuple[int, date, int]], per_day: int
) -> float | None:
    """The same flattened rows appended with DataFrame.to_sql, 10,000 offers a call,
    the raw JSON as text."""
    import pandas as pd

    from pipelines.warehouse import create_engine
    from pipelines.warehouse.flatten import (
        CHILD_TABLE_NAMES,
        OFFER_PAYLOAD_COLUMNS,
        flatten_offer,
    )
    from pipelines.warehouse.schema import child_tables

    engine = create_engine(url)
    server = ServerCpu(engine)

    def flush(rows: list[tuple], child_rows: list[list[tuple]]) -> None:
        frame = pd.DataFrame(rows, columns=list(OFFER_PAYLOAD_COLUMNS))
        frame.to_sql("pandas_offres", engine, if_exists="append", index=False)
        for name, bucket in zip(CHILD_TABLE_NAMES, child_rows, strict=True):
            if bucket:
                columns = child_tables[name].c.keys()
                pd.DataFrame(bucket, columns=columns).to_sql(
                    f"pandas_{name}", engine, if_exists="append", index=False
                )

    rows: list[tuple] = []
    child_rows: list[list[tuple]] = [[] for _ in CHILD_TABLE_NAMES]
    for number, _, count in days:
        for offer in synthetic_offers(number, count, per_day):
            flat = flatten_offer(offer)
            raw = flat.row[-1]
            rows.append((*flat.row[:-1], raw.decode() if type(raw) is bytes else raw))
            for bucket, items in zip(child_rows, flat.children, strict=True):
                bucket.extend(items)
            if len(rows) == PANDAS_BATCH:
                flush(rows, child_rows)
                rows, child_rows = [], [[] for _ in CHILD_TABLE_NAMES]
    if rows:
        flush(rows, child_rows)
    seconds = server.seconds()
    engine.dispose()
    return seconds


def _count_children(url: str, prefix: str) -> int:
    import sqlalchemy as sa

    from pipelines.warehouse import create_engine
    from pipelines.warehouse.flatten import CHILD_TABLE_NAMES

    engine = create_engine(url)
    with engine.connect() as connection:
        total = sum(
            connection.execute(sa.text(f"SELECT count(*) FROM {prefix}{name}")).scalar()
            for name in CHILD_TABLE_NAMES
            if sa.inspect(connection).has_table(f"{prefix}{name}")
        )
    engine.dispose()
    return total


def _import_before_the_clock(land) -> None:
    """Import what a landing function needs, so that the clock and the CPU counts
    start on a warm process."""
    import sqlalchemy  # noqa: F401

    import pipelines.warehouse  # noqa: F401

    if land is land_with_pandas:
        import pandas  # noqa: F401


def _worker(land, url, offers, per_day, worker, workers, barrier, queue) -> None:
    days = _my_days(offers, per_day, worker, workers)
    _import_before_the_clock(land)
    rss_start = _rss_mb()
    try:
        barrier.wait()
        cpu_start = time.process_time()
        server_cpu = land(url, days, per_day)
        client_cpu = time.process_time() - cpu_start
        queue.put(
            WorkerResult(
                sum(d[2] for d in days),
                0,
                rss_start,
                _peak_rss_mb(),
                client_cpu,
                server_cpu,
            )
        )
    except BaseException as error:  # reported in the table, not lost in a child
        queue.put(WorkerResult(0, 0, rss_start, _peak_rss_mb(), error=repr(error)))


def _prepare(url: str, method: str, prototype: str | None) -> None:
    """Create the tables before the clock starts: the schema, or pandas' tables."""
    from pipelines.warehouse import create_engine, upgrade

    engine = create_engine(url)
    if method == "OffresLoader":
        upgrade(engine)
        if prototype:
            with engine.begin() as connection:
                for statement in PROTOTYPES[prototype]:
                    connection.exec_driver_sql(statement)
    engine.dispose()


def run(
    target: str,
    method: str,
    url: str,
    offers: int,
    per_day: int,
    workers: int,
    prototype: str | None = None,
) -> Measure:
    """Land the offers with ``workers`` processes; the clock runs from their common
    start to the last one's end (synthetic offers are generated inside it)."""
    land = land_with_warehouse if method == "OffresLoader" else land_with_pandas
    _prepare(url, method, prototype)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)
    queue = context.Queue()
    processes = [
        context.Process(
            target=_worker,
            args=(land, url, offers, per_day, worker, workers, barrier, queue),
        )
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    results = [queue.get() for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()

    prefix = "" if method == "OffresLoader" else "pandas_"
    children = _count_children(url, prefix) if not any(r.error for r in results) else 0
    results[0].child_rows = children
    label = f"{method}+{prototype}" if prototype else method
    return Measure(target, label, results, seconds)


class _ScratchPostgres:
    """A database created for the run on the given server, dropped afterwards."""

    def __init__(self, server_url: str) -> None:
        import sqlalchemy as sa

        self._sa = sa
        self.server = sa.make_url(server_url).set(drivername="postgresql+psycopg")
        self.name = f"ft_bench_{uuid.uuid4().hex[:8]}"

    def __enter__(self) -> str:
        admin = self._sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        admin.dispose()
        return self.server.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc: object) -> None:
        admin = self._sa.create_engine(self.server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'
            )
        admin.dispose()


class _ScratchSqlite:
    """A SQLite file in a temporary directory, removed afterwards."""

    def __init__(self, parent: Path | None) -> None:
        self.parent = parent
        self.directory: Path | None = None

    def __enter__(self) -> str:
        self.directory = Path(tempfile.mkdtemp(prefix="ft_bench_", dir=self.parent))
        return f"sqlite:///{self.directory / 'bench.db'}"

    def __exit__(self, *exc: object) -> None:
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


def _scratch(target: str, args: argparse.Namespace) -> Any:
    if target == "postgresql":
        return _ScratchPostgres(args.postgres_url)
    return _ScratchSqlite(args.sqlite_dir)


def _microseconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} µs"


def _print(measures: list[Measure]) -> None:
    header = (
        f"{'target':<11} {'method':<30} {'workers':>7} {'offers':>10} "
        f"{'child rows':>11} {'seconds':>8} {'offers/s':>9} {'peak RSS':>9} "
        f"{'client CPU':>11} {'server CPU':>11}"
    )
    print(header)
    print("-" * len(header))
    for m in measures:
        errors = [w.error for w in m.workers if w.error]
        if errors:
            print(f"{m.target:<11} {m.method:<30} failed: {errors[0]}")
            continue
        children = sum(w.child_rows for w in m.workers)
        peak = max(w.peak_rss_mb for w in m.workers)
        client = _microseconds(m.cpu_per_offer("client_cpu"))
        server = _microseconds(m.cpu_per_offer("server_cpu"))
        print(
            f"{m.target:<11} {m.method:<30} {len(m.workers):>7} {m.offers:>10,} "
            f"{children:>11,} {m.seconds:>8.1f} {m.rate:>9,.0f} {peak:>7.0f}MB "
            f"{client:>11} {server:>11}"
        )
    print("(CPU per offer landed; peak RSS of the largest worker)")


def _generation_cost(count: int = 20_000) -> float:
    started = time.perf_counter()
    for _ in synthetic_offers(0, count, count):
        pass
    return (time.perf_counter() - started) / count


# The statements of the final transaction (`pipelines.warehouse.apply`), in order.
_FINAL_STEPS = (
    "_prepare_postgres",
    "_classify",
    "_count_actions",
    "_count_reopened",
    "_record_history",
    "_delete_children",
    "_update_changed",
    "_touch_unchanged",
    "_insert_new",
    "_insert_children",
)


class _StageClock:
    """Wraps functions of the loader to add up the CPU each one uses: Python CPU of
    the calling thread, and CPU of the PostgreSQL backend serving the load."""

    def __init__(self) -> None:
        self.python: dict[str, float] = {}
        self.server: dict[str, float] = {}
        self.backend_pid: int | None = None
        self._restore: list[tuple[Any, str, Any]] = []

    def _backend_cpu(self) -> float:
        if self.backend_pid is None:
            return 0.0
        return _process_cpu_seconds(self.backend_pid) or 0.0

    def wrap(self, owner: Any, name: str, label: str, *, server: bool = True) -> None:
        """Time ``owner.name``; ``server=False`` for work that never waits for the
        database (reading the backend's CPU costs more than a call to flatten)."""
        original = getattr(owner, name)
        backend_cpu = self._backend_cpu if server else lambda: 0.0

        def timed(*args: Any, **kwargs: Any) -> Any:
            python, backend = time.thread_time(), backend_cpu()
            try:
                return original(*args, **kwargs)
            finally:
                self.python[label] = (
                    self.python.get(label, 0.0) + time.thread_time() - python
                )
                self.server[label] = (
                    self.server.get(label, 0.0) + backend_cpu() - backend
                )

        setattr(owner, name, timed)
        self._restore.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._restore):
            setattr(owner, name, original)
        self._restore.clear()


@dataclass
class StageProfile:
    """CPU per offer of each stage of one day's load, and where the wall time went."""

    offers: int
    cpu: list[tuple[str, float, float]]  # (stage, Python µs, server µs) per offer
    wall: list[tuple[str, float]]  # (phase, µs) per offer


def profile_stages(url: str, offers: int) -> StageProfile:
    """Load one day of ``offers`` in this process, after a warm-up day, with every
    stage timed."""
    from pipelines.warehouse import OffresLoader, create_engine, upgrade
    from pipelines.warehouse import apply as apply_module
    from pipelines.warehouse import staged as staged_module
    from pipelines.warehouse.staging import Staging

    engine = create_engine(url)
    upgrade(engine)
    with OffresLoader(engine, FIRST_DAY - timedelta(days=1)) as loader:
        loader.add(synthetic_offers(999, offers, offers))
        loader.commit()

    clock = _StageClock()
    clock.wrap(staged_module, "flatten_offer", "flatten", server=False)
    clock.wrap(staged_module, "collect_unknown_paths", "drift", server=False)
    clock.wrap(Staging, "write", "write batches to staging")
    for step in _FINAL_STEPS:
        if hasattr(apply_module, step):
            clock.wrap(apply_module, step, f"final: {step.lstrip('_')}")
    try:
        with OffresLoader(engine, FIRST_DAY) as loader:
            connection = loader._connection
            if engine.dialect.name == "postgresql":
                clock.backend_pid = (
                    connection.connection.driver_connection.info.backend_pid
                )
            started = time.perf_counter()
            for page in _pages(synthetic_offers(0, offers, offers), PAGE_SIZE):
                loader.add(page)
            streamed = time.perf_counter()
            loader.offers_staged  # noqa: B018 - waits for the batch being written
            drained = time.perf_counter()
            loader.commit()
            finished = time.perf_counter()
    finally:
        clock.restore()
        engine.dispose()

    def per_offer(seconds: float) -> float:
        return seconds / offers * 1e6

    cpu = [
        (label, per_offer(clock.python[label]), per_offer(clock.server[label]))
        for label in clock.python
        if clock.python[label] or clock.server[label]
    ]
    wall = [
        ("adding the pages", per_offer(streamed - started)),
        ("waiting for the batch being written", per_offer(drained - streamed)),
        ("commit: last batch and final transaction", per_offer(finished - drained)),
    ]
    return StageProfile(offers, cpu, wall)


def _print_stages(target: str, profile: StageProfile) -> None:
    print(
        f"{target}: where the time goes in one day of {profile.offers:,} offers "
        "(µs per offer)"
    )
    print(f"  {'CPU by stage':<45} {'Python':>8} {'server':>8}")
    for label, python, server in profile.cpu:
        print(f"  {label:<45} {python:>8.1f} {server:>8.1f}")
    print(f"  {'wall time by phase':<45} {'':>8} {'':>8}")
    for label, seconds in profile.wall:
        print(f"  {label:<45} {seconds:>8.1f}")
    total = sum(seconds for _, seconds in profile.wall)
    print(f"  {'total':<45} {total:>8.1f}   ({1e6 / total:,.0f} offers/s)")
    print()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Land synthetic offers into PostgreSQL and SQLite; compare to_sql."
    )
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument(
        "--per-day", type=int, default=40_000, help="offers per Paris day (partition)"
    )
    parser.add_argument(
        "--targets", default="postgresql,sqlite", help="comma list: postgresql, sqlite"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="server where a scratch database is created (127.0.0.1 by default)",
    )
    parser.add_argument(
        "--sqlite-dir", type=Path, default=None, help="where the SQLite files go"
    )
    parser.add_argument(
        "--no-pandas", action="store_true", help="skip DataFrame.to_sql"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes loading days side by side, as a Dagster backfill does",
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also time each stage of one day's load (flatten, COPY, final steps)",
    )
    parser.add_argument(
        "--prototype",
        action="append",
        default=[],
        choices=sorted(PROTOTYPES),
        help="also land into PostgreSQL with this schema change (repeatable)",
    )
    args = parser.parse_args(argv)
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(args.targets) - {"postgresql", "sqlite"}
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    runs: list[tuple[str, str, str | None]] = []
    for target in args.targets:
        runs.append((target, "OffresLoader", None))
        if target == "postgresql":
            runs += [(target, "OffresLoader", name) for name in args.prototype]
        if not args.no_pandas:
            runs.append((target, "DataFrame.to_sql", None))

    print(
        f"landing {args.offers:,} synthetic offers, {args.per_day:,} per day "
        f"({math.ceil(args.offers / args.per_day)} partitions), pages of {PAGE_SIZE}, "
        f"{args.workers} worker(s); generating one offer costs "
        f"{_generation_cost() * 1e6:.1f} µs (inside the timings)"
    )
    measures: list[Measure] = []
    for target, method, prototype in runs:
        # to_sql appends from one process: two of them race to create the same table
        # (PostgreSQL) or lock each other out of the file (SQLite).
        workers = 1 if method == "DataFrame.to_sql" else args.workers
        with _scratch(target, args) as url:
            measure = run(
                target, method, url, args.offers, args.per_day, workers, prototype
            )
        measures.append(measure)
        _print([measure])
        print()

    if args.stages:
        for target in args.targets:
            with _scratch(target, args) as url:
                day = min(args.per_day, args.offers)
                _print_stages(target, profile_stages(url, day))

    _print(measures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
