"""Free appointment slots for a single resource (a room, a practitioner, ...)."""

from dataclasses import dataclass

from scheduler.timeutil import format_hhmm, parse_hhmm


@dataclass(frozen=True)
class Slot:
    """A half-open interval ``[start, end)`` in minutes after midnight."""

    start: int
    end: int

    def overlaps(self, other: "Slot") -> bool:
        return self.start < other.end and other.start < self.end

    def label(self) -> str:
        return f"{format_hhmm(self.start)}-{format_hhmm(self.end)}"


def parse_booking(text: str) -> Slot:
    """Parse ``"09:00-10:30"`` into a slot."""
    start, _, end = text.partition("-")
    slot = Slot(parse_hhmm(start), parse_hhmm(end))
    if slot.end <= slot.start:
        raise ValueError(f"booking ends before it starts: {text!r}")
    return slot


def free_slots(opening: str, closing: str, length: int, bookings: list[str]) -> list[Slot]:
    """All back-to-back slots of ``length`` minutes between opening and closing that are not booked."""
    if length <= 0:
        raise ValueError("slot length must be positive")
    busy = [parse_booking(text) for text in bookings]
    free: list[Slot] = []
    start = parse_hhmm(opening)
    end_of_day = parse_hhmm(closing)
    while start + length <= end_of_day:
        candidate = Slot(start, start + length)
        if not any(candidate.overlaps(booking) for booking in busy):
            free.append(candidate)
        start += length
    return free
