"""The code location loads, and holds exactly the assets, checks, jobs and schedules."""

from __future__ import annotations

from dagster import AssetCheckKey, AssetKey, DefaultScheduleStatus
from dagster._core.definitions.backfill_policy import BackfillPolicyType

from pipelines.definitions import defs

REFERENTIEL_ASSETS = {
    "referentiel_appellations",
    "referentiel_communes",
    "referentiel_continents",
    "referentiel_departements",
    "referentiel_domaines",
    "referentiel_langues",
    "referentiel_metiers",
    "referentiel_nafs",
    "referentiel_natures_contrats",
    "referentiel_niveaux_formations",
    "referentiel_pays",
    "referentiel_permis",
    "referentiel_regions",
    "referentiel_secteurs_activites",
    "referentiel_themes",
    "referentiel_types_contrats",
}


def test_assets():
    graph = defs.resolve_asset_graph()

    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}

    assert keys == {"offres", "offres_stock", *REFERENTIEL_ASSETS}


def test_offres_is_partitioned_by_paris_day_one_run_per_day():
    node = defs.resolve_asset_graph().get(AssetKey("offres"))

    partitions = node.partitions_def
    assert partitions.timezone == "Europe/Paris"
    assert partitions.fmt == "%Y-%m-%d"
    assert partitions.get_partition_keys()[0] == "2025-01-01"
    assert node.backfill_policy.policy_type == BackfillPolicyType.MULTI_RUN
    assert node.backfill_policy.max_partitions_per_run == 1
    assert node.pools == {"francetravail_offres_api"}


def test_checks():
    graph = defs.resolve_asset_graph()

    checks = {
        (key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys
    }

    assert checks == {
        ("offres", "ids_unique"),
        ("offres", "coverage"),
        ("offres", "codes_join_referentiels"),
        ("offres", "yesterday_loaded"),
    }
    assert AssetCheckKey(AssetKey("offres"), "coverage") in graph.asset_check_keys


def test_jobs_and_schedules():
    repository = defs.get_repository_def()
    schedules = {s.name: s for s in repository.schedule_defs}

    jobs = {job.name for job in defs.resolve_all_job_defs()} - {"__ASSET_JOB"}
    assert jobs == {
        "offres_job",
        "offres_stock_job",
        "referentiels_job",
        "freshness_job",
    }
    timing = {
        name: (s.cron_schedule, s.execution_timezone, s.job_name)
        for name, s in schedules.items()
    }
    assert timing == {
        "offres_nightly": ("30 2 * * *", "Europe/Paris", "offres_job"),
        "offres_stock_nightly": ("30 4 * * *", "Europe/Paris", "offres_stock_job"),
        "referentiels_weekly": ("30 1 * * 1", "Europe/Paris", "referentiels_job"),
        "freshness_morning": ("0 8 * * *", "Europe/Paris", "freshness_job"),
    }
    assert {s.default_status for s in schedules.values()} == {
        DefaultScheduleStatus.RUNNING
    }


def test_secrets_are_bound_by_name(monkeypatch):
    """A secret set in the environment reaches Dagster as an EnvVar, not a value."""
    import importlib

    import pipelines.definitions as module

    monkeypatch.setenv("FT_CLIENT_ID", "id-value-123")
    monkeypatch.setenv("FT_CLIENT_SECRET", "secret-value-456")
    reloaded = importlib.reload(module)
    try:
        resource = reloaded.defs.resources["francetravail"]
        fields = resource.model_dump()
        assert "secret-value-456" not in repr(fields)
        assert "secret-value-456" not in repr(resource)
        assert resource.client_secret == "FT_CLIENT_SECRET"
    finally:
        monkeypatch.delenv("FT_CLIENT_ID")
        monkeypatch.delenv("FT_CLIENT_SECRET")
        importlib.reload(module)
