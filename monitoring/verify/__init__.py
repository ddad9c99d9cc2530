"""About-screen verifications and reconciliation with the MIIT record (issue #13 §4, §5).

- ``cadence``: when a verification is due (pure).
- ``evaluators``: the rules about_screen_check, miit_record_check and miit_record_mismatch.
- ``backends``: how a record is looked up (manual by default, or a third-party HTTP service).
- ``ratelimit``: the shared limit on automatic lookups.
- ``services`` / ``selectors``: writes and scoped reads; ``tasks``: the queued lookups.
"""
