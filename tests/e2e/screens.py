"""What the browser tests share: screenshots kept with the test and copied where people look,
the no-sideways-scrolling check, and logging in through the real form."""

import shutil
from pathlib import Path

from playwright.sync_api import Page, expect


def take_shot(page: Page, tmp_path: Path, name: str, *, shots: Path, full_page=True) -> None:
    """A screenshot in the test's ``tmp_path`` (pytest keeps the last runs), copied to ``shots``."""
    file = name if name.endswith(".png") else f"{name}.png"
    page.screenshot(path=tmp_path / file, full_page=full_page)
    shots.mkdir(exist_ok=True)
    shutil.copy(tmp_path / file, shots / file)


def fits(page: Page) -> bool:
    """Whether the page fits the screen's width (nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page: Page, base: str, email: str, password: str) -> None:
    """Log in through the form and land on the greeting."""
    page.goto(base + "/log-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
