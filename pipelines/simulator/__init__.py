"""A France Travail partner API simulator: a real HTTP server on 127.0.0.1.

It serves the token endpoint and the partner APIs as documented (errors, quotas, paging)
over a deterministic generated corpus, or replays captured responses byte for byte, and
lets tests script faults and inspect every request it received.

    from pipelines.simulator import SimulatorConfig, SimulatorServer

    with SimulatorServer(SimulatorConfig(seed=1, offers_per_day=300)) as sim:
        ...  # point the client at sim.token_url and sim.api_url

From a shell: ``python -m pipelines.simulator`` (or ``ft-simulator``).
"""

from pipelines.simulator.config import ClientAccount, SimulatorConfig, Spike
from pipelines.simulator.faults import Fault
from pipelines.simulator.ratelimit import max_requests_in_window
from pipelines.simulator.server import SimulatorServer
from pipelines.simulator.state import RequestRecord, SimulatorState

__all__ = [
    "ClientAccount",
    "Fault",
    "RequestRecord",
    "SimulatorConfig",
    "SimulatorServer",
    "SimulatorState",
    "Spike",
    "max_requests_in_window",
]
