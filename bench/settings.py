"""The portal's settings as it runs in production (DEBUG off), plus the bench's
baseline view (``bench.urls``). Only the benchmark uses them."""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 40)
# The bench's clients come from one address: no anonymous API throttling.
os.environ["API_ANON_RATE"] = "100000000/day"

from pompidou.settings import *  # noqa: E402,F403
from pompidou.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
# The pages' static files are not requested: no collected manifest needed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
