"""The data dictionary in docs/ is the one the schema renders today."""

from __future__ import annotations

from pipelines.warehouse import dictionary
from pipelines.warehouse.schema import metadata


def test_dictionary_file_is_up_to_date() -> None:
    committed = dictionary.DICTIONARY_PATH.read_text(encoding="utf-8")

    assert committed == dictionary.render(), (
        "docs/data-dictionary.md is stale: run python -m pipelines.warehouse.dictionary"
    )


def test_every_table_and_column_is_described() -> None:
    undescribed = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if not column.comment or not column.info.get("source")
    ]

    assert [t.name for t in metadata.sorted_tables if not t.comment] == []
    assert undescribed == []
    assert len(metadata.tables) == 39


def test_check_mode_reports_a_stale_file(tmp_path, capsys) -> None:
    stale = tmp_path / "data-dictionary.md"
    stale.write_text("# Data dictionary\n", encoding="utf-8")

    assert dictionary.main(["--check", "--output", str(stale)]) == 1
    assert "is stale" in capsys.readouterr().out
    assert dictionary.main(["--output", str(stale)]) == 0
    assert dictionary.main(["--check", "--output", str(stale)]) == 0
