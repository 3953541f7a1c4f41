"""Structured (key=value) logging to stdout with the current request id on every line."""

import contextvars
import logging

request_id_var = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class KeyValueFormatter(logging.Formatter):
    """`time level logger request_id=... message key=value ...` where the keys come from `extra=`."""

    _standard = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

    def format(self, record):
        record.message = record.getMessage()
        fields = [
            self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            f"level={record.levelname}",
            f"logger={record.name}",
            f"request_id={getattr(record, 'request_id', '-')}",
            f"msg={record.message!r}",
        ]
        fields += [f"{key}={value!r}" for key, value in vars(record).items() if key not in self._standard]
        line = " ".join(fields)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
