from scheduler.slots import Slot, free_slots, parse_booking


def test_parse_booking():
    assert parse_booking("09:00-10:30") == Slot(540, 630)


def test_free_slots_skip_bookings():
    slots = free_slots("09:00", "11:00", 30, ["09:30-10:00"])
    assert [s.label() for s in slots] == ["09:00-09:30", "10:00-10:30", "10:30-11:00"]
