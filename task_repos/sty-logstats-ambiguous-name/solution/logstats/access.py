"""Statistics over web server access logs (common log format)."""

import re
from collections import Counter
from dataclasses import dataclass

LINE_RE = re.compile(
    r'^(?P<host>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" '
    r"(?P<status>\d{3}) (?P<size>\d+|-)"
)


@dataclass(frozen=True)
class Request:
    """One parsed access log line."""

    host: str
    method: str
    path: str
    status: int
    size: int


def parse(lines: list[str]) -> list[Request]:
    """Parse the lines that match the common log format; anything else is ignored."""
    requests = []
    for line in lines:
        match = LINE_RE.match(line.strip())
        if match is None:
            continue
        size = 0 if match["size"] == "-" else int(match["size"])
        requests.append(Request(match["host"], match["method"], match["path"], int(match["status"]), size))
    return requests


def status_classes(requests: list[Request]) -> dict[str, int]:
    """Request counts per status class (``2xx``, ``4xx``, ...), sorted by class."""
    counts = Counter(f"{request.status // 100}xx" for request in requests)
    return dict(sorted(counts.items()))


def top_paths(requests: list[Request], count: int = 5) -> list[tuple[str, int]]:
    """Most requested paths with their hit counts, ties broken alphabetically."""
    hits = Counter(request.path for request in requests)
    return sorted(hits.items(), key=lambda item: (-item[1], item[0]))[:count]


def bytes_served(requests: list[Request]) -> int:
    """Total response size of successful requests."""
    return sum(request.size for request in requests if 200 <= request.status < 300)
