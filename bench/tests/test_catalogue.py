import pytest
from catalogue import paired_ratio, table
from harness import WrkResult


def run(rps, p99=50.0):
    return WrkResult(
        requests_per_second=rps, p50_ms=10.0, p99_ms=p99, requests=int(rps * 10), bad_responses=0, socket_errors=0
    )


def test_paired_ratio_compares_each_round_with_its_own_reference_run():
    # The machine slowed down in round 2 for both: paired, the page keeps half the reference's speed.
    page = [run(400), run(200), run(410)]
    reference = [run(800), run(400), run(800)]
    assert paired_ratio(page, reference) == pytest.approx(0.5)


def test_paired_ratio_needs_as_many_runs_of_each():
    with pytest.raises(ValueError):
        paired_ratio([run(1)], [run(1), run(2)])


def test_table_flags_each_missed_goal():
    text, all_met = table(
        [
            ("reference", run(800), 1.0, [45.0, 45.0]),
            ("list", run(420), 0.52, [70.0, 71.0]),
            ("search", run(300, p99=120.0), 0.38, [70.0, 81.0]),
        ]
    )
    lines = text.splitlines()
    assert lines[2].endswith("(yardstick)")
    assert lines[3].endswith("met")
    assert lines[4].endswith("MISSED ratio<0.5,p99>=100ms,RSS>=80MB")
    assert all_met is False
