from datetime import datetime

from contest.leaderboard import Submission, standings, winner


def at(minute):
    return datetime(2024, 5, 4, 10, minute)


def test_tie_goes_to_team_that_scored_first():
    subs = [Submission("late", 100, at(40)), Submission("early", 100, at(12))]
    assert standings(subs) == [(1, "early", 100), (2, "late", 100)]
    assert winner(subs) == "early"


def test_ties_in_the_middle_of_the_table():
    subs = [
        Submission("a", 60, at(30)),
        Submission("b", 90, at(50)),
        Submission("c", 60, at(10)),
        Submission("d", 60, at(20)),
        Submission("e", 10, at(1)),
    ]
    assert [team for _, team, _ in standings(subs)] == ["b", "c", "d", "a", "e"]


def test_tie_uses_time_of_best_submission():
    subs = [
        Submission("x", 80, at(5)),
        Submission("y", 50, at(1)),
        Submission("y", 80, at(15)),
        Submission("x", 80, at(25)),
    ]
    assert standings(subs) == [(1, "x", 80), (2, "y", 80)]
