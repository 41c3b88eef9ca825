"""Steps the browser journeys share."""

from playwright.sync_api import Page


def log_out(page: Page) -> None:
    """Log out through the header's user menu, as a person would (on a narrow screen the
    menu sits behind the navigation's menu button)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("#user-menu").click()
    page.locator("#user-menu + .dropdown-menu").get_by_role("button", name="Log ud").click()
