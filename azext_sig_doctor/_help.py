"""Help texts of ``az sig doctor``."""

from knack.help_files import helps  # pylint: disable=unused-import

helps["sig doctor"] = """
type: group
short-summary: Explain and prevent Azure Compute Gallery failures.
long-summary: |
    sig-doctor knows the documented errors of galleries, image definitions, image versions and
    VMs created from them. Every finding names a knowledge-base entry id; `az sig doctor error show
    --id ID` tells everything about it.
"""

helps["sig doctor error"] = """
type: group
short-summary: Browse the knowledge base of gallery errors.
"""

helps["sig doctor error list"] = """
type: command
short-summary: List the known gallery errors and guidance topics.
examples:
  - name: List every entry as a table.
    text: az sig doctor error list -o table
  - name: List the image version errors only.
    text: az sig doctor error list --section version -o table
  - name: Print only the ids of entries that a pre-check prevents.
    text: az sig doctor error list --query "[?prevented_by.rule].id" -o tsv
"""

helps["sig doctor error show"] = """
type: command
short-summary: Show everything sig-doctor knows about one error.
long-summary: Cause, fix, next commands, message signatures, the rule that prevents it and a link to the article.
examples:
  - name: Show one entry.
    text: az sig doctor error show --id version.source-region-not-targeted
  - name: Show only the fix.
    text: az sig doctor error show --id version.source-region-not-targeted --query fix -o tsv
"""
