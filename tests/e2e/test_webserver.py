"""The Dagster UI, for real: `dagster-webserver` serves the code location, its GraphQL
API shows what the code defines, and a headless Chromium renders the asset graph."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from pipelines.calendar import PARIS
from pipelines.definitions import defs

from .services import LOCATION, NOWHERE, REPO_ROOT, running_dagster

pytestmark = pytest.mark.slow

ARTIFACTS = REPO_ROOT / "test-artifacts"
WINDOW = (1600, 1000)
FIRST_PARTITION = date(2025, 1, 1)
OFFRES_GROUP = {"offres", "offres_stock", "offres_indicateurs_jour"}
OFFRES_CHECKS = {
    "codes_join_referentiels",
    "coverage",
    "ids_unique",
    "yesterday_loaded",
}

ASSETS_QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    isPartitioned
    automationCondition { label }
    assetChecksOrError { ... on AssetChecks { checks { name } } }
  }
}
"""
PARTITIONS_QUERY = """
query Partitions($path: [String!]!) {
  assetNodeOrError(assetKey: {path: $path}) {
    ... on AssetNode {
      partitionDefinition { type description }
      partitionKeysByDimension { partitionKeys }
    }
  }
}
"""
REPOSITORY_QUERY = """
{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        location { name }
        sensors { name sensorState { status } }
        schedules { name scheduleState { status } }
      }
    }
  }
}
"""

# Chromium, cut off from everything but this machine: no background traffic, and every
# host name but 127.0.0.1 resolves to nothing.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
    # Virtual time runs until the page is idle: the UI's queries have answered and the
    # graph is laid out before the screenshot is taken.
    "--virtual-time-budget=30000",
]


def chromium() -> str:
    """The Chromium binary, or a skip (a failure under CI) that says why not."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must take the asset graph screenshot")
        pytest.skip(reason)
    return path


def run_chromium(binary: str, profile: Path, *arguments: str) -> str:
    completed = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) into
    (width, height, one bytes object per pixel)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    offset, header, compressed = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        offset += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0) and color in (2, 6), header
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(compressed)
    pixels: list[bytes] = []
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                distances = (
                    abs(estimate - left),
                    abs(estimate - up),
                    abs(estimate - up_left),
                )
                nearest = (left, up, up_left)[distances.index(min(distances))]
                line[i] = (line[i] + nearest) & 0xFF
        pixels.extend(bytes(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return width, height, pixels


def expected_offres_partitions() -> int:
    """Days from the first partition to yesterday, Paris time, both included."""
    yesterday = datetime.now(PARIS).date() - timedelta(days=1)
    return (yesterday - FIRST_PARTITION).days + 1


def test_the_ui_serves_the_code_location_and_draws_the_asset_graph(tmp_path):
    browser = chromium()
    graph = defs.resolve_asset_graph()
    defined_assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    environment = {
        # Nothing runs in this test; every address still stays on this machine.
        "FT_TOKEN_URL": NOWHERE,
        "FT_API_URL": NOWHERE,
        "FT_CLIENT_ID": "nobody",
        "FT_CLIENT_SECRET": "nothing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'warehouse.db'}",
    }

    with running_dagster(tmp_path, environment, daemon=False) as dagster:
        nodes = dagster.graphql(ASSETS_QUERY)["assetNodes"]
        offres = dagster.graphql(PARTITIONS_QUERY, path=["offres"])["assetNodeOrError"]
        indicateurs = dagster.graphql(
            PARTITIONS_QUERY, path=["offres_indicateurs_jour"]
        )
        [repository] = dagster.graphql(REPOSITORY_QUERY)["repositoriesOrError"]["nodes"]
        expected_partitions = expected_offres_partitions()

        ARTIFACTS.mkdir(exist_ok=True)
        screenshot = ARTIFACTS / "asset-graph.png"
        screenshot.unlink(missing_ok=True)
        page = f"{dagster.url}/locations/{LOCATION}/asset-groups/offres_emploi"
        # One page load gives both the screenshot and the DOM it was taken of.
        dom = run_chromium(
            browser,
            tmp_path / "chromium",
            f"--screenshot={screenshot}",
            "--dump-dom",
            page,
        )

    by_name = {"/".join(node["assetKey"]["path"]): node for node in nodes}
    assert set(by_name) == defined_assets
    assert {
        n for n, node in by_name.items() if node["groupName"] == "offres_emploi"
    } == (OFFRES_GROUP)
    checks = {
        name: {check["name"] for check in node["assetChecksOrError"]["checks"]}
        for name, node in by_name.items()
    }
    assert checks["offres"] == OFFRES_CHECKS
    assert sum(len(names) for names in checks.values()) == len(graph.asset_check_keys)
    assert by_name["offres_indicateurs_jour"]["automationCondition"] == {
        "label": "offres day (re)loaded"
    }

    [offres_keys] = offres["partitionKeysByDimension"]
    assert offres["partitionDefinition"] == {
        "type": "TIME_WINDOW",
        "description": "Daily, starting 2025-01-01 Europe/Paris.",
    }
    assert len(offres_keys["partitionKeys"]) == expected_partitions
    assert offres_keys["partitionKeys"][0] == "2025-01-01"
    assert (
        offres_keys["partitionKeys"][-1]
        == (datetime.now(PARIS).date() - timedelta(days=1)).isoformat()
    )
    [indicateurs_keys] = indicateurs["assetNodeOrError"]["partitionKeysByDimension"]
    assert indicateurs_keys["partitionKeys"] == offres_keys["partitionKeys"]

    assert repository["location"]["name"] == LOCATION
    assert {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]} == {
        "automation_sensor": "RUNNING"
    }
    schedules = {
        s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]
    }
    assert set(schedules) == {s.name for s in defs.get_repository_def().schedule_defs}
    assert set(schedules.values()) == {"RUNNING"}

    # The page in the screenshot drew the group's three assets and their partitions.
    for name in OFFRES_GROUP:
        assert name in dom
    assert f"{expected_partitions} partitions" in dom

    width, height, pixels = png_pixels(screenshot.read_bytes())
    colours = Counter(pixels)
    background_share = colours.most_common(1)[0][1] / len(pixels)
    assert (width, height) == WINDOW
    assert len(colours) > 200
    assert background_share < 0.95
