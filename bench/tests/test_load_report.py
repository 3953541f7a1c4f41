"""bench/load.py's e-mail fault: the SMTP server it takes down and brings back, and how it splits checkouts."""

import smtplib

import pytest
from bench_smtp import SMTPServer
from load import checkout_report, percentile

PORT = 8177


def test_the_bench_smtp_server_records_message_ids_and_can_be_taken_down():
    server = SMTPServer(PORT)
    server.up()
    try:
        with smtplib.SMTP("127.0.0.1", PORT, timeout=5) as client:
            client.sendmail("a@example.com", ["b@example.com"], "Message-ID: <one@test>\r\nSubject: x\r\n\r\nbody")
        server.down()
        with pytest.raises(OSError):
            smtplib.SMTP("127.0.0.1", PORT, timeout=2)
        server.up()
        assert server.went_down < server.came_up
    finally:
        server.down()
    assert [message_id for message_id, _ in server.received()] == ["<one@test>"]


def test_checkouts_are_split_by_the_outage(tmp_path):
    checkouts = tmp_path / "checkouts.txt"
    checkouts.write_text("100.0 40\n150.0 900\n160.0 800\n300.0 50\n")
    report = checkout_report(checkouts, (140.0, 200.0))
    up, down = report.splitlines()
    assert "p50     40 ms" in up and "(2)" in up
    assert "p50    800 ms" in down and "(2)" in down
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95) == 10
