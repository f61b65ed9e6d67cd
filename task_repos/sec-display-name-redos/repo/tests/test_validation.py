from profiles.validation import is_valid_display_name, is_valid_handle, validate_profile


def test_handles():
    assert is_valid_handle("ada_l")
    assert not is_valid_handle("Ada")
    assert not is_valid_handle("1ada")
    assert not is_valid_handle("ab")


def test_display_name_accepts_words_separated_by_spaces():
    assert is_valid_display_name("Ada Lovelace")
    assert is_valid_display_name("R2D2")


def test_display_name_rejects_punctuation_and_empty():
    assert not is_valid_display_name("Ada!")
    assert not is_valid_display_name("")


def test_display_name_length_limit():
    assert not is_valid_display_name("a" * 65)


def test_valid_profile_has_no_errors():
    data = {
        "handle": "ada_l",
        "display_name": "Ada Lovelace",
        "bio": "Analyst.",
        "website": "https://ada.example/about",
    }
    assert validate_profile(data) == {}


def test_invalid_fields_are_reported():
    data = {"handle": "A", "display_name": "Ada <3", "bio": "x" * 281, "website": "ftp://x"}
    assert set(validate_profile(data)) == {"handle", "display_name", "bio", "website"}
