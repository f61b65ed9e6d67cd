from datetime import date

import pytest

from members.db import connect
from members.repository import MemberRepository
from members.service import MemberDirectory


@pytest.fixture
def conn():
    connection = connect()
    yield connection
    connection.close()


@pytest.fixture
def directory(conn):
    d = MemberDirectory(MemberRepository(conn))
    d.register("Ada Lovelace", "ada@example.com", "London", date(2023, 5, 1))
    d.register("Grace Hopper", "grace@example.com", "Arlington", date(2024, 1, 9))
    d.register("alan turing", "alan@example.com", "Wilmslow", date(2022, 11, 30))
    return d
