from devcli.tokencache import CachedToken, clear_token, load_token, save_token

NOW = 1_700_000_000


def test_save_then_load(tmp_path):
    save_token(tmp_path, CachedToken("tok-abc", NOW + 3600))
    assert load_token(tmp_path, NOW) == CachedToken("tok-abc", NOW + 3600)


def test_creates_missing_config_dir(tmp_path):
    path = save_token(tmp_path / "devcli" / "profile", CachedToken("t", NOW + 60))
    assert path.name == "auth.json"
    assert path.exists()


def test_expired_or_nearly_expired_token_is_ignored(tmp_path):
    save_token(tmp_path, CachedToken("old", NOW + 10))
    assert load_token(tmp_path, NOW) is None


def test_missing_or_corrupt_cache(tmp_path):
    assert load_token(tmp_path, NOW) is None
    (tmp_path / "auth.json").write_text("{not json")
    assert load_token(tmp_path, NOW) is None


def test_logout_removes_cache(tmp_path):
    save_token(tmp_path, CachedToken("t", NOW + 3600))
    clear_token(tmp_path)
    clear_token(tmp_path)
    assert load_token(tmp_path, NOW) is None
