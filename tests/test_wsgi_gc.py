"""The web process stops re-walking its long-lived objects after its warm-up requests
(portal/wsgi.py): gc.freeze once, after exactly `after` requests, whatever the answers were."""

from unittest import mock

import pytest

from portal import wsgi


def _answer(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _broken(environ, start_response):
    raise RuntimeError("a view failed")


def test_the_process_is_frozen_once_after_its_warm_up_requests():
    app = wsgi.FreezeAfterWarmUp(_answer, after=3)
    with mock.patch.object(wsgi.gc, "freeze") as freeze, mock.patch.object(wsgi.gc, "collect"):
        for _ in range(2):
            assert app({}, lambda *a: None) == [b"ok"]
        freeze.assert_not_called()
        app({}, lambda *a: None)
        freeze.assert_called_once()
        for _ in range(10):
            app({}, lambda *a: None)
        freeze.assert_called_once()


def test_a_failing_request_counts_too():
    app = wsgi.FreezeAfterWarmUp(_broken, after=1)
    with mock.patch.object(wsgi.gc, "freeze") as freeze, mock.patch.object(wsgi.gc, "collect"):
        with pytest.raises(RuntimeError):
            app({}, lambda *a: None)
        freeze.assert_called_once()


def test_the_portal_application_is_wrapped_by_default(settings):
    assert settings.GC_FREEZE_AFTER_REQUESTS == 20
    assert isinstance(wsgi.application, wsgi.FreezeAfterWarmUp)
    assert wsgi.application.after == 20
