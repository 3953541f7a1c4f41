"""Running gunicorn and wrk for the benchmark scripts: start, wait, measure, stop. Loopback only.

Every wait here is bounded in time; every process started is stopped (its whole process group) on exit.
"""

import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
GUNICORN = str(VENV_BIN / "gunicorn")
GUNICORN_CONF = str(REPO / "gunicorn.conf.py")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(*args: str, env: dict, cwd: Path = REPO, timeout: int = 600, capture: bool = False) -> str:
    """Run `manage.py ARGS` with ENV; raise on failure. Returns stdout when `capture`."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout if capture else ""


def http_status(url: str, timeout: float = 5.0) -> int:
    """The status code of a GET to URL, without following redirects; 0 when nothing answers."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


class Gunicorn:
    """A gunicorn master serving APP from CWD on 127.0.0.1:PORT with the project's gunicorn.conf.py."""

    def __init__(self, *, name: str, port: int, env: dict, app: str = "petshop.wsgi:application", cwd: Path = REPO):
        self.name, self.port, self.app, self.cwd = name, port, app, cwd
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_PROC_NAME": f"bench-{name}"}
        self.process = None
        self.log_path = Path(os.environ.get("BENCH_LOG_DIR", "/tmp")) / f"bench-gunicorn-{name}-{port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str = "/", wait_seconds: float = 30) -> "Gunicorn":
        if http_status(self.base_url + ready_path, timeout=1) != 0:
            raise RuntimeError(f"port {self.port} is already in use: stop what listens there first")
        log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [GUNICORN, "-c", GUNICORN_CONF, "--chdir", str(self.cwd), self.app],
            cwd=self.cwd,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends master and workers together
        )
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited at start; see {self.log_path}")
            if http_status(self.base_url + ready_path, timeout=2) != 0:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not answer within {wait_seconds}s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in self.worker_pids()]

    def worker_pss_mb(self) -> list[float]:
        return [pss_mb(pid) for pid in self.worker_pids()]

    def stop(self, wait_seconds: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=wait_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _proc_mb(path: str, field: str) -> float:
    """The kB figure of the line starting with `field` in a /proc file, in MB; 0 when the process is gone."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident memory of PID in MB (VmRSS), 0 when the process is gone."""
    return _proc_mb(f"/proc/{pid}/status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Proportional memory of PID in MB (Pss of /proc/PID/smaps_rollup: each page shared with the master and the
    other workers counted as its share), 0 when the process is gone."""
    return _proc_mb(f"/proc/{pid}/smaps_rollup", "Pss:")


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad_responses: int  # non-2xx/3xx answers
    socket_errors: int


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Read requests/s, p50, p99 and error counts from `wrk --latency` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"unexpected wrk output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=_duration_ms(p50.group(1)),
        p99_ms=_duration_ms(p99.group(1)),
        requests=int(total.group(1)),
        bad_responses=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def run_wrk(url: str, *, threads: int = 2, connections: int = 16, seconds: int = 10) -> WrkResult:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        text=True,
        capture_output=True,
        timeout=seconds + 30,
    ).stdout
    return parse_wrk(output)


def median_result(results: list[WrkResult]) -> WrkResult:
    """The median of each figure over several runs (errors are summed: any error counts)."""
    return WrkResult(
        requests_per_second=statistics.median(r.requests_per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        requests=sum(r.requests for r in results),
        bad_responses=sum(r.bad_responses for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )


def ensure_wrk() -> None:
    if subprocess.run(["which", "wrk"], capture_output=True).returncode == 0:
        return
    log("installing wrk (apt-get)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, timeout=300)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=300)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in URL if it does not exist yet."""
    server, name = url.rsplit("/", 1)
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"unexpected database name {name!r}: letters, digits and _ only")
    exists = subprocess.run(
        ["psql", f"{server}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 - name checked above
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True, timeout=30)


def exit_on_signal() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so that `with` blocks and finally clauses stop the servers."""

    def handler(signum, frame):
        sys.exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


class Checks:
    """PASS/FAIL lines for a script's steps, counting the failures for its exit code."""

    def __init__(self):
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{'  (' + detail + ')' if detail else ''}", flush=True)
        self.failed += not ok
        return ok
