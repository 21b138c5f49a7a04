"""Guarded creates (``az sig doctor create-*``) and replication follow-up.

``bodies`` builds the request bodies the way the core ``az sig … create`` commands do,
``errors`` turns a refused create into knowledge-base guidance, ``runner`` runs checks then the
create, ``replication`` follows an image version until every target region is done.
"""
