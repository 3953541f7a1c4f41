"""Races in tests: work started in several threads at the same moment, each thread on its own connection."""

import threading

from django.db import connection


def run_together(count, work, *, expected=()):
    """Run work(index) in `count` threads released at once; return what each returned, or the exception of an
    `expected` type it raised. Any other exception leaves None in its place, which fails the caller's assertions.
    Each thread closes its database connection, as a request would."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except expected as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
