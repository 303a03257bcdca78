"""Log lines as JSON objects, each with the id of the request it was written in."""

import contextvars
import json
import logging
from datetime import UTC, datetime

# Set by security.middleware.RequestIdMiddleware for the length of a request.
request_id = contextvars.ContextVar("request_id", default=None)

# What every LogRecord has; anything else on a record came from `extra` and is logged as a field.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
