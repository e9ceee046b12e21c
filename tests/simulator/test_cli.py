"""``python -m pipelines.simulator``: flags, the ready file, a token, a clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from pipelines.simulator.__main__ import build_parser, config_from_args
from pipelines.simulator.config import Spike

REPO = Path(__file__).resolve().parents[2]


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 30.0) -> str:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"simulator exited early: {process.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("simulator did not write its ready file")
        time.sleep(0.05)
    return path.read_text().strip()


def test_cli_serves_tokens_and_stops_on_sigterm(tmp_path):
    ready = tmp_path / "ready"
    argv = [
        sys.executable, "-m", "pipelines.simulator", "--port", "0",
        "--ready-file", str(ready), "--seed", "3", "--offers-per-day", "50",
        "--first-day", "2026-03-28", "--last-day", "2026-03-29",
        "--quota", "offresdemploi=50",
    ]  # fmt: skip
    process = subprocess.Popen(
        argv,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = wait_for(ready, process)
        token = httpx.post(
            f"{base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire",
            data={
                "grant_type": "client_credentials",
                "client_id": "simulator-client",
                "client_secret": "simulator-secret",
                "scope": "api_offresdemploiv2 o2dsoffre",
            },
        ).json()["access_token"]
        search = httpx.get(
            f"{base_url}/partenaire/offresdemploi/v2/offres/search",
            headers={"Authorization": f"Bearer {token}"},
        )
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)

    assert base_url.startswith("http://127.0.0.1:")
    assert search.status_code == 200
    assert search.headers["content-range"] == "offres 0-99/100"
    assert search.headers["x-ratelimit-burst-capacity-clientidlimiter"] == "50"
    assert process.returncode == 0, stderr
    assert not ready.exists()
    token_url = f"{base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire"
    assert f"export FT_TOKEN_URL='{token_url}'" in stdout
    assert f"export FT_API_URL='{base_url}/partenaire'" in stdout
    assert "export FT_CLIENT_ID='simulator-client'" in stdout
    assert "export FT_CLIENT_SECRET='simulator-secret'" in stdout


def test_flags_build_the_configuration(tmp_path):
    argv = [
        "--seed", "9", "--volume", "1000", "--day-volume", "2026-03-29=10",
        "--spike", "2026-03-29:14:4000", "--quota", "5",
        "--quota", "labonneboite=1", "--latency", "0.3", "--token-lifetime", "60",
        "--cap", "1000", "--final-page-status", "200",
        "--retry-after-style", "http-date", "--replay", str(tmp_path),
    ]  # fmt: skip
    args = build_parser().parse_args(argv)

    config = config_from_args(args)

    assert config.seed == 9
    assert config.offers_per_day == 1000
    assert config.day_volumes == {date(2026, 3, 29): 10}
    assert tuple(config.spikes) == (Spike(date(2026, 3, 29), 14, 4000),)
    assert config.quota("offresdemploi") == 5
    assert config.quota("labonneboite") == 1
    assert config.quota("rome-metiers") == 1
    assert config.latency_seconds == 0.3
    assert config.token_lifetime_seconds == 60
    assert config.range_max_start == 1000
    assert config.final_page_status == 200
    assert config.retry_after_style == "http-date"
    assert config.replay_dir == tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["--spike", "2026-03-29:14"],
        ["--quota", "nope=3"],
        ["--final-page-status", "204"],
    ],
    ids=["spike", "quota-api", "final-status"],
)
def test_bad_flags_exit_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)

    assert exit_info.value.code == 2
    assert "usage: ft-simulator" in capsys.readouterr().err


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "ft-simulator"

    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0
    assert "--ready-file" in result.stdout
