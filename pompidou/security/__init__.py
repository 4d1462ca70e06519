"""Logins that resist guessing and the record of who came in.

- ``ip``: the client's address, read only from the trusted proxy (one rule for the
  lockout, the throttles and the audit log);
- ``backends`` and ``lockout``: django-axes' lockout, counted in the shared cache;
- ``throttling``: DRF throttles keyed by that address;
- ``middleware``: the absolute session lifetime and the audit of refused access;
- ``signals``: logins, logouts, failed logins and lockouts in the audit log.
"""
