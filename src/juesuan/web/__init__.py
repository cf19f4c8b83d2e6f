"""The local web application of ``juesuan serve``: FastAPI, server-rendered Chinese pages.

``create_app(store)`` in ``app.py``; who may do what in ``access.py``; users and the
change log in ``users.py``; the work behind the pages in ``work.py`` (datasets) and
``audits.py`` (documents); routes by path: ``routes_fill`` (filler), ``routes_review``
(reviewer), ``routes_read`` (reader), ``routes_users`` (login, admin), ``routes_api``.
"""
