import os
import stat

from devcli.tokencache import CachedToken, load_token, save_token

NOW = 1_700_000_000


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_cache_file_is_private_to_owner(tmp_path):
    path = save_token(tmp_path, CachedToken("tok-private", NOW + 3600))
    assert _mode(path) & 0o077 == 0
    assert _mode(path) & 0o600 == 0o600


def test_existing_loose_cache_file_is_tightened(tmp_path):
    loose = tmp_path / "auth.json"
    loose.write_text("{}")
    os.chmod(loose, 0o666)
    path = save_token(tmp_path, CachedToken("tok-new", NOW + 3600))
    assert _mode(path) & 0o077 == 0
    assert load_token(tmp_path, NOW).access_token == "tok-new"


def test_overwrite_replaces_previous_token(tmp_path):
    save_token(tmp_path, CachedToken("first", NOW + 3600))
    save_token(tmp_path, CachedToken("second-longer-token", NOW + 7200))
    assert load_token(tmp_path, NOW) == CachedToken("second-longer-token", NOW + 7200)
