"""After approval: what stays true of a filed service (domain.md §12, §13).

Provider inspection notices, the display checker for websites, About-screen and MIIT lookup
verifications. Each part keeps its facts here and turns them into compliance items through
evaluators registered with compliance.registry (see ``evaluators``); pages read the
maintained rows like every other rule.
"""
