"""The code location loads, and holds exactly the assets, checks, jobs and schedules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dagster import (
    AssetCheckKey,
    AssetKey,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    build_schedule_context,
)
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


# The other partner APIs' assets, by group.
PARTNER_GROUPS = {
    "rome": {
        "rome_metiers",
        "rome_appellations",
        "rome_competences",
        "rome_fiches_metiers",
        "rome_contextes_travail",
    },
    "labonneboite": {"labonneboite_entreprises"},
    "marche_travail": {"marche_travail_indicateurs"},
    "agences": {"agences"},
}
PARTNER_ASSETS = set().union(*PARTNER_GROUPS.values())


def test_assets():
    graph = defs.resolve_asset_graph()

    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}

    assert keys == {
        "offres",
        "offres_stock",
        "offres_indicateurs_jour",
        *REFERENTIEL_ASSETS,
        *PARTNER_ASSETS,
    }


def test_offres_is_partitioned_by_paris_day_one_run_per_day():
    node = defs.resolve_asset_graph().get(AssetKey("offres"))

    partitions = node.partitions_def
    assert partitions.timezone == "Europe/Paris"
    assert partitions.fmt == "%Y-%m-%d"
    assert partitions.get_partition_keys()[0] == "2025-01-01"
    assert node.backfill_policy.policy_type == BackfillPolicyType.MULTI_RUN
    assert node.backfill_policy.max_partitions_per_run == 1
    assert node.pools == {"francetravail_offres_api"}


def test_indicateurs_follow_offres_day_by_day():
    graph = defs.resolve_asset_graph()
    node = graph.get(AssetKey("offres_indicateurs_jour"))

    assert node.parent_keys == {AssetKey("offres")}
    assert node.partitions_def == graph.get(AssetKey("offres")).partitions_def
    assert node.backfill_policy.policy_type == BackfillPolicyType.SINGLE_RUN
    assert node.automation_condition.get_label() == "offres day (re)loaded"
    assert node.pools == set()


def test_the_automation_sensor_runs_by_default():
    sensors = {s.name: s for s in defs.get_repository_def().sensor_defs}

    assert set(sensors) == {"automation_sensor"}
    sensor = sensors["automation_sensor"]
    assert sensor.default_status == DefaultSensorStatus.RUNNING
    assert sensor.minimum_interval_seconds == 30
    assert sensor.asset_selection.resolve(defs.resolve_asset_graph()) >= {
        AssetKey("offres_indicateurs_jour")
    }


def test_partner_assets_are_grouped_by_api():
    graph = defs.resolve_asset_graph()

    groups = {
        group: {
            key.to_user_string()
            for key in graph.get_all_asset_keys()
            if graph.get(key).group_name == group
        }
        for group in PARTNER_GROUPS
    }

    assert groups == PARTNER_GROUPS


def test_labonneboite_is_partitioned_by_departement_one_run_each():
    node = defs.resolve_asset_graph().get(AssetKey("labonneboite_entreprises"))

    keys = node.partitions_def.get_partition_keys()
    assert len(keys) == 101
    assert (keys[:3], keys[19:22], keys[-5:]) == (
        ["01", "02", "03"],
        ["2A", "2B", "21"],
        ["971", "972", "973", "974", "976"],
    )
    assert node.parent_keys == {AssetKey("offres")}
    assert node.backfill_policy.max_partitions_per_run == 1
    assert node.pools == {"francetravail_labonneboite_api"}


def test_the_labonneboite_schedule_asks_one_run_per_departement():
    repository = defs.get_repository_def()
    schedule = repository.get_schedule_def("labonneboite_weekly")
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=ZoneInfo("Europe/Paris"))

    with build_schedule_context(
        scheduled_execution_time=monday, repository_def=repository
    ) as context:
        requests = schedule.evaluate_tick(context).run_requests

    assert len(requests) == 101
    assert (requests[0].partition_key, requests[0].run_key) == ("01", "2026-12-07:01")
    assert requests[-1].partition_key == "976"
    assert len({request.run_key for request in requests}) == 101


def test_runs_execute_their_steps_in_process():
    """Every job, and the implicit one of backfills: one process for each run."""
    jobs = [defs.resolve_implicit_global_asset_job_def(), *defs.resolve_all_job_defs()]

    assert {job.executor_def.name for job in jobs} == {"in_process"}


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
        "rome_job",
        "labonneboite_job",
        "marche_travail_job",
        "agences_job",
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
        "rome_weekly": ("0 3 * * 0", "Europe/Paris", "rome_job"),
        "agences_weekly": ("45 1 * * 1", "Europe/Paris", "agences_job"),
        "marche_travail_weekly": ("0 5 * * 1", "Europe/Paris", "marche_travail_job"),
        "labonneboite_weekly": ("0 6 * * 1", "Europe/Paris", "labonneboite_job"),
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
