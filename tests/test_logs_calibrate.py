"""Calibration round trip: a log simulated from a known journey gives its parameters back."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import journeymap
from journeymap.flow import simulate
from journeymap.flow.events import EventLog
from journeymap.loader.scenario import changed_journey
from journeymap.logs.calibrate import Calibration, LinkError, Links, calibrate, wilson
from journeymap.logs.engine import connect, load
from journeymap.logs.simulated import SPACING, contacts_from_events
from journeymap.model import Journey
from journeymap.model.behaviour import resolve_rate, retry_rate
from tests.conftest import EXAMPLES

PARCEL = EXAMPLES / "parcel-delivery.yaml"
CUSTOMERS = 60_000


def _calibrated(tmp_path: Path, truth: Journey, model: Journey) -> Calibration:
    path = tmp_path / "events.parquet"
    with EventLog(path) as log:
        simulate(truth, customers=CUSTOMERS, seed=11, events=log)
    contacts = contacts_from_events(pq.read_table(path))
    return calibrate(model, load(connect(), contacts), window=SPACING)


def _standard_error(journey: Journey, tid: str, estimate_sample: int, p_repeat: float) -> float:
    retry = retry_rate(journey, journey.touchpoint(tid))
    return math.sqrt(max(p_repeat * (1 - p_repeat), 1e-9) / estimate_sample) / retry


@pytest.fixture(scope="module")
def parcel() -> Journey:
    return journeymap.load(PARCEL)


def test_a_simulated_log_gives_the_journey_back(
    tmp_path_factory: pytest.TempPathFactory, parcel: Journey
) -> None:
    result = _calibrated(tmp_path_factory.mktemp("round"), parcel, parcel)
    assert result.unlinked == 0
    kinds = {e.parameter for e in result.estimates}
    assert kinds == {"share", "resolve", "switch"}
    for e in result.estimates:
        # Within four standard errors of the truth (sampling error only, no bias).
        if e.parameter == "resolve":
            p_repeat = (1 - e.estimate) * retry_rate(parcel, parcel.touchpoint(e.touchpoint))
            error = _standard_error(parcel, e.touchpoint, e.sample, p_repeat)
        else:
            error = math.sqrt(max(e.estimate * (1 - e.estimate), 1e-9) / e.sample)
        assert abs(e.estimate - e.journey) <= 4 * error + 1e-9, e
        assert not e.contradicted, e
    calibrated = result.journey(parcel)
    for e in result.estimates:
        if e.parameter == "resolve":
            tp = calibrated.touchpoint(e.touchpoint)
            assert resolve_rate(calibrated, tp, e.channel or "") == round(e.estimate, 4)


def test_the_log_contradicts_a_wrong_assumption(
    tmp_path_factory: pytest.TempPathFactory, parcel: Journey
) -> None:
    # Reality: the tracking page resolves far less often than the journey assumes.
    truth = changed_journey(
        parcel, [{"set": {"path": "touchpoints.track.channels.web.resolve", "value": 0.55}}]
    )
    result = _calibrated(tmp_path_factory.mktemp("wrong"), truth, parcel)
    web = next(
        e
        for e in result.estimates
        if (e.touchpoint, e.channel, e.parameter) == ("track", "web", "resolve")
    )
    assert web.contradicted
    assert web.journey == resolve_rate(parcel, parcel.touchpoint("track"), "web")
    assert web.low <= 0.55 <= web.high
    others = [e for e in result.estimates if e.contradicted and e is not web]
    # The one change shows up where it is, not all over the journey.
    assert len(others) <= 2


def test_links_name_what_the_journey_has(parcel: Journey) -> None:
    with pytest.raises(LinkError, match="channel 'fax'"):
        Links(channels={"FAX": "fax"}).check(parcel)
    Links(channels={"WEB": "web"}, touchpoints={"tracking": "track"}).check(parcel)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (5, 10), (10, 10), (300, 1000)])
def test_wilson_interval_holds_the_proportion(k: int, n: int) -> None:
    low, high = wilson(k, n)
    assert 0 <= low <= k / n <= high <= 1
    assert high - low < 1


def test_a_wrong_links_file_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "links.yaml"
    path.write_text("channels: {WEB: web}\ntouchpoint: {tracking: track}\n", encoding="utf-8")
    with pytest.raises(LinkError, match=rf"^{path}:2:1: unknown key 'touchpoint'"):
        Links.from_yaml(str(path))
    path.write_text("channels: [web, phone]\n", encoding="utf-8")
    with pytest.raises(LinkError, match=rf"^{path}:1:11: channels: a mapping"):
        Links.from_yaml(str(path))
    path.write_text("channels: {WEB: web\n", encoding="utf-8")
    with pytest.raises(LinkError, match=rf"^{path}:2:1: "):
        Links.from_yaml(str(path))
    path.write_text("channels: {WEB: web}\ntouchpoints: {tracking: track}\n", encoding="utf-8")
    assert Links.from_yaml(str(path)) == Links({"WEB": "web"}, {"tracking": "track"})
