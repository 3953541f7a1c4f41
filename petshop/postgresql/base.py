"""Django's PostgreSQL backend with a health check that needs no round trip while the connection is quiet.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks the connection at the start
of every request that uses the database by sending `SELECT 1` and waiting for the answer: a round trip to
PostgreSQL, about a twentieth of a catalogue page's time. Between requests an idle connection has nothing to
read, unless the server has ended it: a restarted or stopped server, or a terminated backend, sends its last
error message and closes the socket, which then polls readable. So a connection that is idle and has nothing
waiting is usable without asking the server; anything else (data or a hang-up waiting, a transaction left
open, a broken connection) gets Django's own `SELECT 1`, which reads what is waiting and fails if the
connection is gone.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


def _quiet(connection):
    """True when `connection` is open, idle (no transaction) and has nothing waiting to be read."""
    if connection.closed or connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        try:
            if _quiet(self.connection):
                return True
        except (OSError, ValueError, base.Database.Error):
            pass
        return super().is_usable()
