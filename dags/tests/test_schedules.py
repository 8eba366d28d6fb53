"""Staggered schedules, simulated over weeks with the timetables the scheduler itself deserialises."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.conftest import DAG_IDS

UTC = dt.timezone.utc
# A Saturday-to-Saturday span plus a day on each side, so the week's wrap-around is covered too.
SIMULATION_START = dt.datetime(2026, 3, 6, 0, 0, tzinfo=UTC)  # Friday
SIMULATION_END = SIMULATION_START + dt.timedelta(days=16)
MIN_GAP = dt.timedelta(minutes=30)



def run_times(dag) -> list[dt.datetime]:
    """Every scheduled run between the simulation bounds, as the scheduler computes them."""
    from airflow.serialization.decoders import decode_timetable
    from airflow.serialization.encoders import encode_timetable
    from airflow.timetables.base import TimeRestriction

    timetable = decode_timetable(encode_timetable(dag.timetable))
    restriction = TimeRestriction(earliest=SIMULATION_START, latest=SIMULATION_END, catchup=True)
    times, last = [], None
    while (info := timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)) is not None:
        times.append(info.logical_date)
        last = info.data_interval
    return times


@pytest.fixture(scope="module")
def schedule(request):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("RECSTAGE_EXECUTION_MODE", "kubernetes")
    from tests.conftest import load_dagbag

    dags = load_dagbag().dags
    monkeypatch.undo()
    return {dag_id: run_times(dags[dag_id]) for dag_id in DAG_IDS}


def test_daily_pipeline_runs_at_18_utc_every_day(schedule):
    times = schedule["recommendation_pipeline"]
    assert len(times) == 16
    assert {(t.hour, t.minute) for t in times} == {(18, 0)}


def test_weekly_refresh_runs_saturday_noon_utc(schedule):
    times = schedule["weekly_model_refresh"]
    assert [t.isoformat() for t in times] == [
        "2026-03-07T12:00:00+00:00", "2026-03-14T12:00:00+00:00", "2026-03-21T12:00:00+00:00"
    ]


def test_incremental_runs_every_four_hours_off_the_hour(schedule):
    times = schedule["incremental_data_update"]
    assert len(times) == 16 * 6
    assert all(t.minute != 0 for t in times)
    assert {(b - a).total_seconds() for a, b in itertools.pairwise(times)} == {4 * 3600}


def test_no_two_dag_starts_within_30_minutes(schedule):
    starts = sorted((t, dag_id) for dag_id, times in schedule.items() for t in times)
    too_close = [(a, b) for a, b in itertools.pairwise(starts) if (b[0] - a[0]).total_seconds() < MIN_GAP.total_seconds()]
    assert too_close == []


def test_the_rule_would_catch_a_collision():
    """The check above can fail: the old system's `0 */4 * * *` collides with Saturday 12:00."""
    from airflow.sdk import DAG, CronTriggerTimetable

    old = DAG(dag_id="old_incremental", schedule=CronTriggerTimetable("0 */4 * * *", timezone="UTC"),
              start_date=SIMULATION_START)
    weekly = DAG(dag_id="weekly", schedule=CronTriggerTimetable("0 12 * * 6", timezone="UTC"),
                 start_date=SIMULATION_START)
    starts = sorted([*run_times(old), *run_times(weekly)])
    assert any((b - a).total_seconds() < MIN_GAP.total_seconds() for a, b in itertools.pairwise(starts))
