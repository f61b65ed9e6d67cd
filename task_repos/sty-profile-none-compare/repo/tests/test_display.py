from profiles.display import Profile, display_name, member_line


def test_nickname_wins():
    assert display_name(Profile("jdoe", "Jane", "Doe", nickname="JD")) == "JD"


def test_full_name_without_nickname():
    assert display_name(Profile("jdoe", "Jane", "Doe")) == "Jane Doe"


def test_member_line_with_pronouns():
    profile = Profile("sam", "Sam", "Lee", pronouns="they/them")
    assert member_line(profile) == "Sam Lee (they/them) @sam"
