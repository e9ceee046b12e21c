"""The 101 départements: the partitions of La Bonne Boîte and the territories of the
Marché du travail indicators.

Static on purpose: the list changes once in decades (Mayotte became one in 2011), and a
fixed list gives Dagster partitions that never move under analysts' backfills.
"""

from dagster import StaticPartitionsDefinition

# Metropolitan France in INSEE order (Corsica is 2A and 2B), then the five overseas
# départements.
DEPARTEMENTS: tuple[str, ...] = (
    *(f"{number:02d}" for number in range(1, 20)),
    "2A",
    "2B",
    *(f"{number:02d}" for number in range(21, 96)),
    "971",
    "972",
    "973",
    "974",
    "976",
)

departements_partitions = StaticPartitionsDefinition(list(DEPARTEMENTS))
