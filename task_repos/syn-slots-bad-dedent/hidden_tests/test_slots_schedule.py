import pytest

from scheduler.slots import Slot, free_slots, parse_booking


def test_no_bookings_fills_the_day():
    slots = free_slots("08:00", "10:00", 60, [])
    assert slots == [Slot(480, 540), Slot(540, 600)]


def test_partial_overlap_blocks_slot():
    slots = free_slots("09:00", "10:00", 30, ["09:15-09:20"])
    assert [s.label() for s in slots] == ["09:30-10:00"]


def test_adjacent_booking_does_not_block():
    slots = free_slots("09:00", "10:00", 30, ["08:00-09:00", "10:00-11:00"])
    assert len(slots) == 2


def test_trailing_remainder_is_dropped():
    assert free_slots("09:00", "10:10", 30, []) == [Slot(540, 570), Slot(570, 600)]


def test_invalid_length_rejected():
    with pytest.raises(ValueError):
        free_slots("09:00", "10:00", 0, [])


def test_reversed_booking_rejected():
    with pytest.raises(ValueError):
        parse_booking("10:00-09:00")
