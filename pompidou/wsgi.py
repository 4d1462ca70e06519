import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pompidou.settings")
application = get_wsgi_application()
# What the application loaded (modules, settings, URL patterns, templates' code) lives
# as long as the worker: out of the garbage collector's sight, so that a request that
# makes many objects (a ranking after a write, ~300 proposals and their scores) does
# not pay for a full collection walking all of it.
gc.freeze()
