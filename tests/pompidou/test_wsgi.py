"""The WSGI entry point gunicorn loads (pompidou/wsgi.py)."""

import gc
import importlib


def test_what_the_application_loaded_is_kept_out_of_the_garbage_collectors_sight():
    # A request that makes many objects (a ranking after a write) then pays for no
    # full collection walking every module, setting and URL pattern: ~25 ms less.
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("pompidou.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
