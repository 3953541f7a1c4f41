import os

import pytest
from harness import WrkResult, median_result, parse_wrk, pss_mb, rss_mb

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8112/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    38.12ms   20.01ms 257.45ms   90.00%
    Req/Sec   210.00     30.00   300.00     70.00%
  Latency Distribution
     50%   30.91ms
     75%   40.00ms
     90%   55.00ms
     99%    1.25s
  4182 requests in 10.00s, 5.12MB read
  Socket errors: connect 0, read 2, write 1, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    418.27
Transfer/sec:    512.00KB
"""


def test_parse_wrk_reads_throughput_percentiles_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result == WrkResult(
        requests_per_second=418.27, p50_ms=30.91, p99_ms=1250.0, requests=4182, bad_responses=7, socket_errors=6
    )


def test_parse_wrk_without_errors_counts_none():
    clean = "\n".join(line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line)
    result = parse_wrk(clean)
    assert (result.bad_responses, result.socket_errors) == (0, 0)


def test_parse_wrk_refuses_output_it_does_not_understand():
    with pytest.raises(ValueError, match="unexpected wrk output"):
        parse_wrk("unable to connect to 127.0.0.1:8112 Connection refused")


def test_median_result_takes_each_figures_median_and_sums_errors():
    runs = [
        WrkResult(100, 10, 50, 1000, 0, 0),
        WrkResult(300, 30, 90, 3000, 1, 0),
        WrkResult(200, 20, 70, 2000, 0, 2),
    ]
    assert median_result(runs) == WrkResult(200, 20, 70, 6000, 1, 2)


def test_a_process_s_proportional_memory_is_at_most_its_resident_memory():
    rss, pss = rss_mb(os.getpid()), pss_mb(os.getpid())
    assert 0 < pss <= rss
    assert pss_mb(2**22 + 1) == rss_mb(2**22 + 1) == 0.0  # no such process
