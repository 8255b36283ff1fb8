"""Every browser test here is watched: a console error, a script error or a CSP violation fails it."""

import pytest

from tests.e2e.support import BrowserProblems


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def context(context, browser_problems):
    browser_problems.watch_context(context)
    return context


@pytest.fixture(autouse=True)
def _fail_on_browser_problems(request, browser_problems):
    yield
    if "page" in request.fixturenames or "context" in request.fixturenames:
        assert not browser_problems.seen, "The browser reported:\n" + "\n".join(browser_problems.seen)


@pytest.fixture
def tasks_in_process():
    """Celery tasks (notification emails) run in the server thread: these tests start no worker.

    Browser tests that send notifications use it with ``pytest.mark.usefixtures("tasks_in_process")``."""
    from marketplace.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
