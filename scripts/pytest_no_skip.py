"""pytest plugin: with CI set (true/1/yes), a skipped or xfailed test fails the run.

Loaded by `make test` (`-p pytest_no_skip`, with scripts/ on PYTHONPATH). A skip hides a test
that did not run, whatever its reason (a missing service, font or package), and CI must not
pass on tests it did not run.
"""

import os

import pytest

_ENABLED = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


class _NotRun:
    def __init__(self) -> None:
        self.reports: list[tuple[str, str]] = []

    def note(self, report) -> None:
        if not report.skipped:
            return
        if hasattr(report, "wasxfail"):
            reason = f"xfail: {report.wasxfail}"
        elif isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2])
        else:
            reason = str(report.longrepr)
        self.reports.append((report.nodeid, reason))

    def pytest_runtest_logreport(self, report) -> None:
        self.note(report)

    def pytest_collectreport(self, report) -> None:
        self.note(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if self.reports and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.reports:
            return
        terminalreporter.section("not run, and CI=true allows no skip", red=True)
        for nodeid, reason in self.reports:
            terminalreporter.line(f"NOT RUN {nodeid or '(collection)'}: {reason}", red=True)


def pytest_configure(config) -> None:
    if _ENABLED:
        config.pluginmanager.register(_NotRun(), "no-skip-in-ci")
