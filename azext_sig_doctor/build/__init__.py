"""`az sig doctor check-build`: pre-checks from the files pipelines already have.

read (``packer``, ``imagebuilder``, ``terraform``; positions from ``hcl`` and ``locate``) ->
builds (``model``: each a typed request with the file and line of every setting) -> the check
rules (``checks.runner``, one shared fetcher for every build) plus the tools' own (``rules``) ->
the template edit of each failing finding (``edits``) -> reports (``report``), glue in ``cli``.
"""
