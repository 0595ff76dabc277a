"""Technical helpers every app may use (SQL, request parsing, middleware).

No domain logic, and no import of any app: ``elever``, ``fravaer``, ``oppfolging`` and
``rapporter`` import from here, and ``config`` only wires it up.
"""
