"""The /web tester in Debian's Chromium against the live server: real episodes, real execution."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from environment.corpus.tasks import load_tasks

SOLVED_TASK = load_tasks().tasks["log-processing-fee-vat"]
SOLVED_FILE = "payments/fees.py"
"""A medium task whose reference fix is one file: the page's editor can apply it."""
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STEP_TIMEOUT_MS = 120_000


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (required under CI=true)")
    pytest.skip(f"{what} is missing")


@pytest.mark.browser
def test_web_tester_runs_an_episode(server_url: str) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        _missing("chromium")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _missing("playwright")

    expect.set_options(timeout=STEP_TIMEOUT_MS)  # steps really run in the sandbox
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{server_url}/web")
            expect(page.locator("#conn")).to_have_text("connected")  # at load, before any Reset
            expect(page.locator("#f-task-id option")).not_to_have_count(1)  # /tasks filled the task picker

            # easy: reset with a seed, read the code, open a file, report a bug
            page.get_by_label("Difficulty").select_option("easy")
            page.get_by_label("Seed").fill("1")
            page.get_by_role("button", name="Reset").click()
            expect(page.locator("#pr-difficulty")).to_have_text("easy")
            expect(page.locator("#code .ln").first).to_be_visible()
            current = page.locator("#code-file").inner_text()
            other = page.locator("#files button").filter(has_not_text=current).first
            other_name = other.inner_text()
            other.click()
            expect(page.locator("#code-file")).to_have_text(other_name)
            expect(page.locator("#last-action")).to_have_text("view_file")

            page.get_by_label("Action type").select_option("detect_bug")
            page.get_by_label("Bug category").select_option("logic")
            page.get_by_label("File", exact=True).select_option(current)
            page.get_by_label("Line").fill("1")
            page.get_by_role("button", name="Send detect_bug").click()
            expect(page.locator("#last-action")).to_have_text("detect_bug")
            expect(page.locator("#step-reward")).to_have_text(re.compile(r"^-?\d\.\d{3}$"))
            expect(page.locator("#feedback")).not_to_be_empty()
            expect(page.locator("#breakdown tr")).not_to_have_count(0)

            # medium: apply_fix from the editor. Unchanged content is a wasted step, never executed...
            page.get_by_label("Difficulty").select_option("medium")
            page.get_by_role("button", name="Reset").click()
            expect(page.locator("#pr-difficulty")).to_have_text("medium")
            page.get_by_label("Action type").select_option("apply_fix")
            original = page.locator("#f-fix-text").input_value()
            assert original.rstrip("\n") == "\n".join(page.locator("#code .ln").all_inner_texts())
            page.get_by_role("button", name="Send apply_fix").click()
            expect(page.locator("#feedback")).to_contain_text("changes nothing")
            expect(page.locator("#exec-empty")).to_be_visible()

            # ...so add a (long) comment: the code really runs and gets a fix score (0 unless the draw is a clean repo)
            page.locator("#f-fix-text").fill(original + "\n# reviewed " + "and wrapped " * 40 + "end\n")
            page.get_by_role("button", name="Send apply_fix").click()
            expect(page.locator("#exec-status")).not_to_be_empty()
            expect(page.locator("#exec-kind")).to_have_text("graded fix")
            expect(page.locator("#exec-fix-score")).to_have_text(re.compile(r"^[01]\.\d{3}$"))
            expect(page.locator("#exec-runner")).to_contain_text("local")
            expect(page.locator("#exec-tables")).to_contain_text("Visible tests")
            expect(page.locator("#error")).to_be_hidden()

            # the applied file is shown; its long line wraps inside the code pane instead of being clipped
            long_line = page.locator("#code .ln").filter(has_text="# reviewed and wrapped")
            expect(long_line).to_contain_text("wrapped end")
            fits = page.evaluate("""() => {
                const pane = document.getElementById("code"), lines = [...pane.querySelectorAll(".ln")];
                const long = lines.find((l) => l.textContent.includes("wrapped end"));
                const box = pane.getBoundingClientRect(), lineBox = long.getBoundingClientRect();
                return {overflow: pane.scrollWidth - pane.clientWidth, right: box.right - lineBox.right,
                        rows: lineBox.height / lines[0].getBoundingClientRect().height};
            }""")
            assert fits["overflow"] <= 1 and fits["right"] >= 0 and fits["rows"] >= 2, fits

            # a correct apply_fix without any detect_bug: solved, and the page says what each number counts
            page.locator("#f-task-id").select_option(SOLVED_TASK.public_id)
            page.get_by_role("button", name="Reset").click()
            expect(page.locator("#code-file")).to_have_text(SOLVED_FILE)
            page.get_by_label("Action type").select_option("apply_fix")
            page.locator("#f-fix-text").fill(SOLVED_TASK.solution[SOLVED_FILE])
            page.get_by_role("button", name="Send apply_fix").click()
            expect(page.locator("#exec-solved")).to_have_text("yes")
            expect(page.locator("#solved")).to_have_text(
                "yes (the applied fix passes every test; bugs detected counts detect_bug reports only)")
            expect(page.locator("#pr-bugs")).to_have_text("0 / 1")
            expect(page.locator("#pr .meta")).to_contain_text("bugs detected 0 / 1")
            expect(page.locator("#counts-note")).to_contain_text("Bugs detected counts detect_bug reports")
            page.screenshot(path="/tmp/web.png", full_page=True)
        finally:
            browser.close()
    assert not problems, problems
