from profiles.display import Profile, display_name, mention, sorted_members


def test_username_when_no_names():
    assert display_name(Profile("ghost", "", "")) == "ghost"


def test_only_first_name():
    assert display_name(Profile("ana", "Ana", "")) == "Ana"


def test_nickname_with_pronouns():
    assert display_name(Profile("kim", "Kim", "Park", nickname="KP", pronouns="she/her")) == "KP"


def test_mention():
    assert mention(Profile("jdoe", "Jane", "Doe")) == "@jdoe"


def test_sorted_members_case_insensitive():
    members = [
        Profile("z", "zoe", "Adams"),
        Profile("b", "Bob", "Brown", nickname="bobby"),
        Profile("a", "Alice", "Clark"),
    ]
    assert sorted_members(members) == ["Alice Clark @a", "bobby @b", "zoe Adams @z"]
