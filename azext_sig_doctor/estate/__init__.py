"""The estate: `az sig doctor latest` (which version "latest" is, per region) and `az sig doctor
scan` (estate rules over every gallery the caller can read, through Azure Resource Graph).

Modules: ``model`` (rows and ARM JSON -> small objects), ``latest`` (the pure resolution),
``graph`` (the Resource Graph client: batches, pages, throttling), ``inventory`` (the queries and
what they return), ``rules`` (estate rules, each tied to a knowledge-base entry), ``report``
(the adapter onto the checks' report, SARIF and JUnit writers), ``scan`` (orchestration),
``progress`` (the bar on stderr), ``cli`` (the command functions).
"""
