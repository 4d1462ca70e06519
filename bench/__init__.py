"""The benchmark suite (``make bench``): the portal measured at two sizes of
generated data, interleaved request by request, against gunicorn with DEBUG off.
Not part of the test suite nor of the shipped portal."""
