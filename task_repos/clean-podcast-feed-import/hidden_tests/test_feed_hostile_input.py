import pytest

from feeds.library import ShowLibrary
from feeds.parser import FeedError, parse_feed


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


def test_external_entity_refused(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("db_password=hunter2")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{private}">]>
<rss version="2.0"><channel><item><guid>g</guid><title>&leak;</title>
<pubDate>04 Mar 2024 06:00:00 +0000</pubDate><enclosure url="https://x/a.mp3"/></item></channel></rss>""".encode()
    with pytest.raises(FeedError):
        parse_feed(xml)


def test_entity_expansion_refused():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title></channel></rss>"""
    with pytest.raises(FeedError):
        parse_feed(xml)


def test_malformed_xml():
    with pytest.raises(FeedError):
        parse_feed(b"<rss><channel>")


def test_items_missing_fields_skipped():
    broken = "<item><guid>nodate</guid><enclosure url='https://x/a.mp3'/></item>"
    no_audio = "<item><guid>noaudio</guid><pubDate>04 Mar 2024 06:00:00 +0000</pubDate></item>"
    episodes = parse_feed(feed(broken, no_audio, item("ok", "Fine", 5)))
    assert [e.guid for e in episodes] == ["ok"]


def test_title_fix_updates_instead_of_duplicating():
    library = ShowLibrary()
    library.refresh(feed(item("ep1", "Pilto", 4)))
    assert library.refresh(feed(item("ep1", "Pilot", 4))) == 0
    assert [e.title for e in library.latest()] == ["Pilot"]


def test_latest_limit():
    library = ShowLibrary()
    library.refresh(feed(*(item(f"ep{n}", f"E{n}", n) for n in range(1, 16))))
    assert [e.guid for e in library.latest(3)] == ["ep15", "ep14", "ep13"]
    assert library.latest(0) == []
