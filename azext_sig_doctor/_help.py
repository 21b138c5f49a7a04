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

# ---- explain (explain/) -----------------------------------------------------------------------------
helps["sig doctor explain"] = """
type: command
short-summary: Explain a failed gallery operation from a log or a pasted error message.
long-summary: |
    Reads an `az ... --debug` log, an Az PowerShell -Debug transcript, ARM error JSON (also pretty-printed, or a failed long-running operation's status), Packer or Terraform output, or a plain message, in any mix. For each failed operation it gives one finding, in log order: the knowledge-base entry id (null when the error is unknown, with the nearest known ids), the code and message, the resource and operation taken from the request, the cause, the fix and the next commands with the values from the log filled in. The same error on the same resource is reported once, with a count. Secrets (tokens, passwords, keys, SAS signatures, custom data) are masked. Logs are streamed, so large and .gz logs are fine; nothing is sent anywhere and no login is needed.

    Output: -o json (the default) is a list of findings for scripts; -o table is a short view. When you look at JSON in a terminal, a short readable report is also written to standard error.

    Exit code: 0 when the input was read, whether or not failures were found; non-zero (1, or 2 for wrong arguments) only when the input could not be read (missing file, a directory, unreadable or binary data).
examples:
  - name: Explain the debug log of a failed command.
    text: |
        az sig image-version create ... --debug 2> create.log
        az sig doctor explain --log create.log
  - name: Read the log from standard input and show a short table.
    text: az sig image-version create ... --debug 2>&1 | az sig doctor explain --log - -o table
  - name: Explain a pasted error message.
    text: az sig doctor explain --message "Gallery image version publishing profile regions 'West Europe' must contain the location of image version 'eastus'."
  - name: Print only the ids and the first next command of each finding.
    text: az sig doctor explain --log pipeline.log.gz --query "[].[id, commands[0]]" -o tsv
"""

# ---- guarded creates and replication follow-up (create/) -------------------------------------------

helps["sig doctor create-gallery"] = """
type: command
short-summary: Check, then create a gallery the way `az sig create` does.
long-summary: |
    Takes the arguments of `az sig create`. The pre-checks run first (offline rules, then live
    ones); a failing check stops before anything is written. If Azure still refuses, the error is
    explained with the knowledge base.
examples:
  - name: Create a gallery after the checks pass.
    text: az sig doctor create-gallery -g rg -r myGallery -l westeurope
  - name: Show the request body without sending it.
    text: az sig doctor create-gallery -g rg -r myGallery --dry-run --query body
"""

helps["sig doctor create-definition"] = """
type: command
short-summary: Check, then create an image definition the way `az sig image-definition create` does.
long-summary: |
    Takes the arguments of `az sig image-definition create` and sends the same body (a Gen2
    definition declares Trusted Launch support unless --features names a security type).
examples:
  - name: Create a Linux Gen2 definition.
    text: az sig doctor create-definition -g rg -r myGallery -i ubuntu22 --os-type Linux -p contoso -f ubuntu -s 22_04
  - name: Stop on warnings too.
    text: az sig doctor create-definition -g rg -r myGallery -i ubuntu22 --os-type Linux -p contoso -f ubuntu -s 22_04 --fail-on warning
"""

helps["sig doctor create-version"] = """
type: command
short-summary: Check, create an image version, then follow its replication to every target region.
long-summary: |
    Takes the arguments of `az sig image-version create`. After the create succeeds the doctor
    reads the replication status until every target region is Completed, with a progress bar on
    stderr (silent with --only-show-errors or -o none). A failed region ends the command with a
    non-zero exit code, the knowledge base's guidance and the commands that retry only that region;
    the version itself is never deleted. Ctrl-C stops following and prints how to resume.
examples:
  - name: Publish a version to two regions and wait for replication.
    text: az sig doctor create-version -g rg -r myGallery -i ubuntu22 -e 1.0.0 --managed-image myImage --target-regions westeurope northeurope=2
  - name: Return as soon as Azure accepted the request.
    text: az sig doctor create-version -g rg -r myGallery -i ubuntu22 -e 1.0.0 --managed-image myImage --no-wait
  - name: Print the exact request body after the checks, without creating anything.
    text: az sig doctor create-version -g rg -r myGallery -i ubuntu22 -e 1.0.0 --managed-image myImage --dry-run
  - name: Give up after two hours, and call a region stalled after 20 minutes without progress.
    text: az sig doctor create-version -g rg -r myGallery -i ubuntu22 -e 1.0.0 --managed-image myImage --timeout 2h --stall-timeout 20m
"""

helps["sig doctor replication"] = """
type: command
short-summary: Show, or follow, the replication of an image version region by region.
long-summary: |
    With -e, one row per target region (state, progress, details). Without -e, one row per
    version of the definition. With --wait, follows the version until every region is Completed,
    exactly as create-version does.
examples:
  - name: Where does the replication of 1.0.0 stand?
    text: az sig doctor replication -g rg -r myGallery -i ubuntu22 -e 1.0.0 -o table
  - name: Every version of a definition.
    text: az sig doctor replication -g rg -r myGallery -i ubuntu22 -o table
  - name: Wait until 1.0.0 is replicated everywhere (resume after Ctrl-C the same way).
    text: az sig doctor replication -g rg -r myGallery -i ubuntu22 -e 1.0.0 --wait
"""
