import gc
import itertools
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class FreezeAfterWarmUp:
    """Python's full garbage collection walks every object the process tracks: ~170,000 once the
    first requests have loaded URL patterns, templates and catalogs, 100-130 ms a pass on our
    machines, a request stalled while it runs (the tail of `make bench`'s list pages). After the
    process's first `after` requests its long-lived objects are moved out of the collector's sight
    with gc.freeze(), as Python's documentation advises for servers; later passes walk only what
    requests leave behind (~15 ms). GC_FREEZE_AFTER_REQUESTS=0 switches it off."""

    def __init__(self, application, after: int):
        self.application = application
        self.after = after
        self.served = itertools.count(1)  # next() is atomic under the GIL: threads are safe

    def __call__(self, environ, start_response):
        try:
            return self.application(environ, start_response)
        finally:
            if next(self.served) == self.after:
                gc.collect()  # what the warm-up left over is not kept forever
                gc.freeze()


application = get_wsgi_application()
if settings.GC_FREEZE_AFTER_REQUESTS:
    application = FreezeAfterWarmUp(application, settings.GC_FREEZE_AFTER_REQUESTS)
