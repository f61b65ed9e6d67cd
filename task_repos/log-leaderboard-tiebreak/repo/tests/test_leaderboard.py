from datetime import datetime

from contest.leaderboard import Submission, best_per_team, standings, winner


def at(minute):
    return datetime(2024, 5, 4, 10, minute)


def test_best_submission_per_team():
    subs = [Submission("red", 40, at(1)), Submission("red", 70, at(5)), Submission("red", 55, at(9))]
    assert best_per_team(subs) == [Submission("red", 70, at(5))]


def test_earliest_of_equal_scores_is_kept():
    subs = [Submission("red", 70, at(8)), Submission("red", 70, at(3))]
    assert best_per_team(subs) == [Submission("red", 70, at(3))]


def test_standings_by_score():
    subs = [
        Submission("red", 50, at(1)),
        Submission("blue", 90, at(2)),
        Submission("green", 70, at(3)),
        Submission("red", 80, at(4)),
    ]
    assert standings(subs) == [(1, "blue", 90), (2, "red", 80), (3, "green", 70)]


def test_winner():
    subs = [Submission("red", 10, at(1)), Submission("blue", 20, at(2))]
    assert winner(subs) == "blue"


def test_no_submissions():
    assert standings([]) == []
    assert winner([]) is None
