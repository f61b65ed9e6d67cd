"""RSS 2.0 podcast feed parsing (feeds are fetched from arbitrary publisher URLs)."""

from email.utils import parsedate_to_datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from feeds.models import Episode

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


class FeedError(ValueError):
    pass


def parse_duration(raw: str | None) -> int | None:
    """'1:02:03', '62:03' or '3723' -> seconds; None when missing or malformed."""
    if not raw:
        return None
    parts = raw.strip().split(":")
    if len(parts) > 3 or not all(part.isdigit() for part in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def parse_feed(xml: bytes) -> list[Episode]:
    """Episodes of a feed; items without a GUID, enclosure or valid date are skipped."""
    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException) as exc:
        raise FeedError(f"unreadable feed: {exc}") from exc
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedError("not an RSS feed")
    episodes = []
    for item in channel.iter("item"):
        guid = (item.findtext("guid") or "").strip()
        enclosure = item.find("enclosure")
        url = enclosure.get("url", "") if enclosure is not None else ""
        try:
            published = parsedate_to_datetime(item.findtext("pubDate") or "")
        except (TypeError, ValueError):
            continue
        if not guid or not url:
            continue
        title = (item.findtext("title") or "Untitled").strip()
        duration = parse_duration(item.findtext(f"{ITUNES}duration"))
        episodes.append(Episode(guid, title, url, published, duration))
    return episodes
