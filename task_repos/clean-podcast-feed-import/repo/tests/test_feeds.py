import pytest

from feeds.library import ShowLibrary
from feeds.parser import FeedError, parse_duration, parse_feed


def feed(*items: str) -> bytes:
    body = "".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Show</title>{body}</channel></rss>""".encode()


def item(guid: str, title: str, day: int, duration: str = "42:00") -> str:
    return f"""<item><guid>{guid}</guid><title>{title}</title>
<pubDate>{day:02d} Mar 2024 06:00:00 +0000</pubDate>
<enclosure url="https://cdn.example.com/{guid}.mp3" type="audio/mpeg" length="1"/>
<itunes:duration>{duration}</itunes:duration></item>"""


def test_parse_duration_formats():
    assert parse_duration("1:02:03") == 3723
    assert parse_duration("62:03") == 3723
    assert parse_duration("3723") == 3723
    assert parse_duration("ten minutes") is None


def test_parse_feed_items():
    [episode] = parse_feed(feed(item("ep1", "Pilot", 4)))
    assert episode.title == "Pilot"
    assert episode.audio_url == "https://cdn.example.com/ep1.mp3"
    assert episode.published.day == 4
    assert episode.duration_seconds == 2520


def test_not_rss():
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>hi</body></html>")


def test_refresh_counts_new_episodes():
    library = ShowLibrary()
    assert library.refresh(feed(item("ep1", "Pilot", 4), item("ep2", "Two", 11))) == 2
    assert library.refresh(feed(item("ep1", "Pilot", 4), item("ep3", "Three", 18))) == 1
    assert [e.guid for e in library.latest()] == ["ep3", "ep2", "ep1"]
