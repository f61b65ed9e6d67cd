from logstats.access import Request, parse, status_classes

LOG = [
    '10.0.0.1 - - [10/Oct/2024:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326',
    '10.0.0.2 - - [10/Oct/2024:13:55:40 +0000] "POST /login HTTP/1.1" 302 -',
    "garbage line",
    '10.0.0.1 - - [10/Oct/2024:13:56:01 +0000] "GET /missing HTTP/1.1" 404 512',
]


def test_parse_skips_garbage():
    requests = parse(LOG)
    assert len(requests) == 3
    assert requests[0] == Request("10.0.0.1", "GET", "/index.html", 200, 2326)


def test_dash_size_is_zero():
    assert parse(LOG)[1].size == 0


def test_status_classes():
    assert status_classes(parse(LOG)) == {"2xx": 1, "3xx": 1, "4xx": 1}
