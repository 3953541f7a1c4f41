import pytest
from catalogue import memory_note, paired_ratio, result_rows, table
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


def test_table_flags_each_missed_goal_cold_and_warm():
    text, all_met = table(
        [
            ("reference", "reference", run(800), 1.0, [45.0, 45.0]),
            ("list", "before", run(100), 0.1, [70.0, 71.0]),
            ("list", "cold", run(420), 0.52, [70.0, 71.0]),
            ("search", "cold", run(300, p99=120.0), 0.38, [70.0, 81.0]),
            ("detail", "cold", run(330), 0.41, [70.0, 71.0]),
            ("detail", "warm", run(1000), 1.4, [70.0, 71.0]),
        ]
    )
    lines = text.splitlines()
    assert lines[2].endswith("(yardstick)")
    assert lines[3].endswith("(comparison)")  # a "before" run has no goals
    assert lines[4].endswith("met")
    assert lines[5].endswith("MISSED ratio<0.4,p99>=100ms,RSS>=80MB")
    assert lines[6].endswith("met")  # the animal page's cold goal is 0.4
    assert lines[7].endswith("MISSED ratio<1.5")
    assert all_met is False


def test_the_api_has_one_goal_cold_and_warm():
    text, _all_met = table(
        [
            ("api animals", "cold", run(300), 0.45, [70.0, 71.0]),
            ("api animals", "warm", run(900), 0.9, [70.0, 71.0]),
        ]
    )
    lines = text.splitlines()
    assert lines[2].endswith("MISSED ratio<0.5")
    assert lines[3].endswith("met")  # not the pages' warm goal of 1.5


def test_the_memory_note_gives_each_server_s_workers():
    note = memory_note({"cold": [40.4, 41.6], "warm": [39.0]})
    assert "cold 40/42, warm 39" in note


def test_result_rows_pair_each_target_with_the_reference_rounds():
    targets = [("reference", "reference", "/"), ("list", "cold", "/animals/")]
    runs = {("reference", "reference"): [run(800), run(400)], ("list", "cold"): [run(400), run(220)]}
    rows = result_rows(targets, runs, {"reference": [45.0], "cold": [70.0, 71.0]})
    assert [(label, kind, ratio, rss) for label, kind, _result, ratio, rss in rows] == [
        ("reference", "reference", 1.0, [45.0]),
        ("list", "cold", pytest.approx(0.525), [70.0, 71.0]),
    ]
