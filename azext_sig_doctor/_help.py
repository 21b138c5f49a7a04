"""Help texts of ``az sig doctor``.

Written for an 80-column terminal (tests/test_help_width.py): az prints a short summary after the
command's name, so it stays one short line; long summaries and examples are wrapped here at 72
columns, as az indents them by 8 and keeps their line breaks; a long example continues on the next
line after a backslash, as azdev's example check reads it.
"""

from knack.help_files import helps  # pylint: disable=unused-import

helps["sig doctor"] = """
type: group
short-summary: Explain and prevent Azure Compute Gallery failures.
long-summary: |
    This extension knows the documented errors of galleries, image
    definitions, image versions and VMs created from them. Every finding
    names a knowledge-base entry id; `az sig doctor error show --id ID`
    tells everything about it.
"""

helps["sig doctor error"] = """
type: group
short-summary: Browse the knowledge base of gallery errors.
"""

helps["sig doctor error list"] = """
type: command
short-summary: List the known gallery errors and topics.
examples:
  - name: List every entry as a table.
    text: az sig doctor error list -o table
  - name: List the image version errors only.
    text: az sig doctor error list --section version -o table
  - name: The entries that carry an ARM error code (any case).
    text: |-
        az sig doctor error list --code GallerySourceResourceExceedsMaxSize \\
            -o table
  - name: Print only the ids of entries that a pre-check prevents.
    text: az sig doctor error list --query "[?prevented_by.rule].id" -o tsv
"""

helps["sig doctor error show"] = """
type: command
short-summary: Show everything sig-doctor knows about one error.
long-summary: |
    Cause, fix, next commands, message signatures, the rule that
    prevents it and a link to the article. --id takes an entry id;
    --code takes the ARM error code Azure answered with and shows every
    entry that carries it (a list). Both are read in any case.
examples:
  - name: Show one entry.
    text: az sig doctor error show --id version.source-region-not-targeted
  - name: Show only the fix.
    text: |-
        az sig doctor error show --id version.source-region-not-targeted \\
            --query fix -o tsv
  - name: Every entry for the ARM code of a failed request.
    text: az sig doctor error show --code GallerySourceResourceExceedsMaxSize
"""

# ---- explain (explain/) -----------------------------------------------------------------------------
helps["sig doctor explain"] = """
type: command
short-summary: Explain a gallery failure from a log or a message.
long-summary: |
    Reads an `az ... --debug` log, an Az PowerShell -Debug transcript,
    ARM error JSON (also pretty-printed, or a failed long-running
    operation's status), Packer or Terraform output, or a plain message,
    in any mix. For each failed operation it gives one finding, in log
    order: the knowledge-base entry id (null when the error is unknown,
    with the nearest known ids), the code and message, the resource and
    operation taken from the request, the cause, the fix and the next
    commands with the values from the log filled in. The same error on
    the same resource is reported once, with a count. Secrets (tokens,
    passwords, keys, SAS signatures, custom data) are masked. Logs are
    streamed, so large and .gz logs are fine; nothing is sent anywhere
    and no login is needed.

    Output: -o json (the default) is a list of findings for scripts; -o
    table is a short view. When you look at JSON in a terminal, a short
    readable report is also written to standard error.

    Exit code: 0 when the input was read, whether or not failures were
    found; non-zero (1, or 2 for wrong arguments) only when the input
    could not be read (missing file, a directory, unreadable or binary
    data); 130 on Ctrl-C.
examples:
  - name: Explain the debug log of a failed command.
    text: |-
        az sig image-version create ... --debug 2> create.log
        az sig doctor explain --log create.log
  - name: Read the log from standard input and show a short table.
    text: |-
        az sig image-version create ... --debug 2>&1 \\
            | az sig doctor explain --log - -o table
  - name: Pipe a Terraform or Packer run in (standard input is read).
    text: terraform apply -auto-approve 2>&1 | az sig doctor explain -o table
  - name: Explain a pasted error message.
    text: |-
        az sig doctor explain --message \\
            "Duplicate regions are not allowed in target publishing regions."
  - name: Print only the ids and the first next command of each finding.
    text: |-
        az sig doctor explain --log pipeline.log.gz \\
            --query "[].[id, commands[0]]" -o tsv
"""

# ---- guarded creates and replication follow-up (create/) -------------------------------------------

helps["sig doctor create-gallery"] = """
type: command
short-summary: Check, then create a gallery (az sig create).
long-summary: |
    Takes the arguments of `az sig create`. The pre-checks run first
    (offline rules, then live ones); a failing check stops before
    anything is written. If Azure still refuses, the error is explained
    with the knowledge base. Ctrl-C says whether the create request had
    been sent.
examples:
  - name: Create a gallery after the checks pass.
    text: az sig doctor create-gallery -g rg -r myGallery -l westeurope
  - name: Return as soon as Azure accepted the request.
    text: |-
        az sig doctor create-gallery -g rg -r myGallery -l westeurope \\
            --no-wait
  - name: Show the request body without sending it.
    text: |-
        az sig doctor create-gallery -g rg -r myGallery --dry-run \\
            --query body
"""

helps["sig doctor create-definition"] = """
type: command
short-summary: Check, then create an image definition.
long-summary: |
    Takes the arguments of `az sig image-definition create` and sends
    the same body (a Gen2 definition declares Trusted Launch support
    unless --features names a security type).
examples:
  - name: Create a Linux Gen2 definition.
    text: |-
        az sig doctor create-definition -g rg -r myGallery -i ubuntu22 \\
            --os-type Linux -p contoso -f ubuntu -s 22_04
  - name: Stop on warnings too.
    text: |-
        az sig doctor create-definition -g rg -r myGallery -i ubuntu22 \\
            --os-type Linux -p contoso -f ubuntu -s 22_04 --fail-on warning
"""

helps["sig doctor create-version"] = """
type: command
short-summary: Check, create and replicate an image version.
long-summary: |
    Takes the arguments of `az sig image-version create`. After the
    create succeeds the doctor reads the replication status until every
    target region is Completed, with a progress bar on stderr (silent
    with --only-show-errors or -o none). A failed region ends the
    command with a non-zero exit code, the knowledge base's guidance and
    the commands that retry only that region; the version itself is
    never deleted. Ctrl-C during the pre-checks stops with nothing sent;
    after the create request was sent, it stops following and prints
    how to resume.
examples:
  - name: Publish a version to two regions and wait for replication.
    text: |-
        az sig doctor create-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.0 --managed-image myImage \\
            --target-regions westeurope northeurope=2
  - name: Return as soon as Azure accepted the request.
    text: |-
        az sig doctor create-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.0 --managed-image myImage --no-wait
  - name: Print the exact request body after the checks; create nothing.
    text: |-
        az sig doctor create-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.0 --managed-image myImage --dry-run
  - name: Give up after 2 hours; a region is stalled after 20 minutes.
    text: |-
        az sig doctor create-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.0 --managed-image myImage \\
            --timeout 2h --stall-timeout 20m
"""

helps["sig doctor replication"] = """
type: command
short-summary: Show or follow the replication of a version.
long-summary: |
    With -e, one row per target region (state, progress, details); a
    failed region names the knowledge-base entry of its details
    (error_id), and retry_commands retry only the failed regions a retry
    can fix. Without -e, one row per version of the definition. With
    --wait, follows the version until every region is Completed, exactly
    as create-version does.
examples:
  - name: Where does the replication of 1.0.0 stand?
    text: |-
        az sig doctor replication -g rg -r myGallery -i ubuntu22 -e 1.0.0 \\
            -o table
  - name: Every version of a definition.
    text: az sig doctor replication -g rg -r myGallery -i ubuntu22 -o table
  - name: One tab-separated line per region (-o tsv alone prints less).
    text: |-
        az sig doctor replication -g rg -r myGallery -i ubuntu22 -e 1.0.0 \\
            --query "regions[].[region, state, progress]" -o tsv
  - name: Wait until 1.0.0 is replicated everywhere (resume the same way).
    text: |-
        az sig doctor replication -g rg -r myGallery -i ubuntu22 -e 1.0.0 \\
            --wait
"""

# ---- pre-checks (checks/) -------------------------------------------------------------------------

_CHECK_COMMON = """

    Nothing is changed: only GET and list requests are sent,
    concurrently, each resource once. Every rule yields a finding (pass,
    fail, warn, skip when it does not apply, or unverified when a read
    it needs failed) with the knowledge-base id of the error it
    prevents, what was observed and the fix. -o json returns {target,
    summary, fixed_command, fixed_command_powershell, fix_details,
    findings}: fixed_command is your command with every fix applied and
    every other argument kept; fix_details says what changed, what to
    run first and what no change of the command can fix. -o table lists
    the findings, failures first.

    The command exits with code 1 when a finding reaches --fail-on
    (unverified by default: failures and rules that could not run;
    error; warning; never), after printing the report, so it can gate a
    pipeline. --offline checks the arguments alone and needs no login.
    --report-format sarif|junit with --report-file writes the findings
    for pipeline dashboards. -o tsv prints only the top level of the
    report; pick the columns with --query, e.g. --query
    "findings[?status=='fail'].[rule, error_id, detail]" -o tsv.

    Every argument of the guarded az command is accepted, so its command
    line runs after swapping the command name; those under
    "Compatibility Arguments" are not checked."""

helps["sig doctor check-gallery"] = """
type: command
short-summary: Pre-check `az sig create`.
long-summary: |
    Takes the arguments of `az sig create` (-g, -r, -l, ...): name
    rules, region availability, a gallery of the same name elsewhere in
    the subscription or in another region.""" + _CHECK_COMMON + """
examples:
  - name: Check a gallery name and region.
    text: az sig doctor check-gallery -g rg -r myGallery -l westeurope -o table
  - name: Check the name only, before logging in.
    text: az sig doctor check-gallery -g rg -r my-gallery --offline
"""

helps["sig doctor check-definition"] = """
type: command
short-summary: Pre-check `az sig image-definition create`.
long-summary: |
    Takes the arguments of `az sig image-definition create`: names,
    publisher/offer/SKU, dates, recommended ranges, SecurityType
    feature, the parent gallery, a duplicate identifier, and for an
    existing definition the properties an update may not change.""" + _CHECK_COMMON + """
examples:
  - name: Check a Gen2 Linux definition.
    text: |-
        az sig doctor check-definition -g rg -r myGallery -i ubuntu22 \\
            -p Contoso -f Ubuntu -s 22_04 --os-type Linux \\
            --hyper-v-generation V2 -o table
  - name: Only the failures, as JSON.
    text: |-
        az sig doctor check-definition -g rg -r myGallery -i ubuntu22 \\
            -p Contoso -f Ubuntu -s 22_04 --os-type Linux \\
            --query "findings[?status=='fail']"
"""

helps["sig doctor check-version"] = """
type: command
short-summary: Pre-check `az sig image-version create`.
long-summary: |
    Takes the arguments of `az sig image-version create`
    (--target-regions region[=count][=sku], --virtual-machine,
    --managed-image, --image-version, --os-snapshot, --data-snapshots
    with --data-snapshot-luns, --target-region-encryption,
    --target-region-cvm-encryption, ...). Reads the gallery, the
    definition, an existing version (then the command is checked as an
    update: source, LUNs, added encryption, dropped regions), the source
    with its disks, the encryption sets, the provider's regions and zone
    support; compares OS type and state, Hyper-V generation,
    architecture, security type and Confidential VM rules.""" + _CHECK_COMMON + """
examples:
  - name: Check a version from a VM with encrypted disks in three regions.
    text: |-
        VM_ID=$(az vm show -g rg -n build-vm --query id -o tsv)
        az sig doctor check-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.0 --virtual-machine $VM_ID \\
            --target-regions westeurope northeurope=2 eastus=1=Standard_ZRS \\
            --target-region-encryption des1,0,des1 des2,0,des2 des3,0,des3 \\
            -o table
  - name: Pipeline gate - fail the job on errors, publish SARIF, create.
    text: |-
        az sig doctor check-version -g rg -r myGallery -i ubuntu22 \\
            -e $(Build.BuildNumber) --managed-image myImage \\
            --target-regions westeurope --fail-on error \\
            --report-format sarif --report-file sig-checks.sarif -o table \\
        && az sig image-version create -g rg -r myGallery -i ubuntu22 \\
            -e $(Build.BuildNumber) --managed-image myImage \\
            --target-regions westeurope
  - name: One tab-separated line per failed rule, for a shell script.
    text: |-
        az sig doctor check-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.1 --managed-image myImage \\
            --query "findings[?status=='fail'].[rule, error_id, detail]" \\
            -o tsv
  - name: JUnit XML for a test dashboard, failing on warnings too.
    text: |-
        az sig doctor check-version -g rg -r myGallery -i ubuntu22 \\
            -e 1.0.1 --os-snapshot osSnap --fail-on warning \\
            --report-format junit --report-file sig-checks.xml
"""

helps["sig doctor check-vm"] = """
type: command
short-summary: Pre-check a VM, scale set or disk create.
long-summary: |
    Takes the command line of `az vm create`, `az vmss create` or `az
    disk create` from a gallery image and reads what matters for it:
    --image (a version or definition id), -l, admin credentials (only
    whether they are given), --security-type, plan, --size (--vm-sku),
    and for `az disk create` --gallery-image-reference with
    --gallery-image-reference-lun; -n only fills the suggested commands.
    Checks replication to the region, a version in latest, OS profile vs
    generalized or specialized, security type and Trusted Launch
    support. Without --security-type, az sends no security type for a
    gallery image (its Trusted Launch default is for marketplace
    images), so the VM is checked as Standard. Gallery commands in a
    finding use the resource group and subscription of --image.""" + _CHECK_COMMON + """
examples:
  - name: Check a VM from a specific version.
    text: |-
        VERSION_ID=$(az sig image-version show -g rg -r myGallery \\
            -i ubuntu22 -e 1.0.0 --query id -o tsv)
        az sig doctor check-vm -g rg -n myVm -l westeurope \\
            --image $VERSION_ID --admin-username azureuser \\
            --generate-ssh-keys -o table
  - name: Check a disk made from data disk LUN 1 of a version.
    text: |-
        VERSION_ID=$(az sig image-version show -g rg -r myGallery \\
            -i ubuntu22 -e 1.0.0 --query id -o tsv)
        az sig doctor check-vm -g rg -l westeurope \\
            --gallery-image-reference $VERSION_ID \\
            --gallery-image-reference-lun 1
"""

# ---- estate: latest per region and the estate scan (estate/) ----------------------------------------

helps["sig doctor latest"] = """
type: command
short-summary: Which version latest is, region by region, and why.
long-summary: |
    For each region (the ones given with -l, or every target region of
    any version) prints the version a VM or scale set that names the
    definition gets there, and for each newer version why it is not
    that one: excluded from latest, excluded from latest in that region,
    not replicated to that region, replication in progress or failed
    there, or its provisioning state. Versions go by version number
    (highest MajorVersion, then MinorVersion, then Patch), not by
    publishing date; a lower version published later is listed with
    that reason. Read-only: one list call, plus one read with the
    replication status for each version that is not Succeeded. -o json
    is a list with one object per region: region, version (null when
    nothing can be picked), skipped [{version, reason}], unverified
    [{version, reason}] (versions whose state could not be read; the
    command then exits 1).
examples:
  - name: Latest in every region the definition's versions target.
    text: az sig doctor latest -g rg -r myGallery -i ubuntu22 -o table
  - name: Latest in two regions, as JSON.
    text: |-
        az sig doctor latest -g rg -r myGallery -i ubuntu22 \\
            -l westeurope "East US 2"
  - name: The regions where latest resolves to nothing.
    text: |-
        az sig doctor latest -g rg -r myGallery -i ubuntu22 \\
            --query "[?version==null].region" -o tsv
"""

helps["sig doctor scan"] = """
type: command
short-summary: Scan the galleries of many subscriptions for trouble.
long-summary: |
    Reads galleries, image definitions, versions and the VMs and scale
    sets made from gallery images through Azure Resource Graph
    (subscriptions 1,000 per request, paged, within the user's query
    quota), then the per-region replication state of the versions that
    are not Succeeded or changed in the last hour, and runs the estate
    rules: regions failed or still replicating after --stuck-after;
    definitions whose latest resolves to nothing where VMs or scale sets
    use it; VMs and scale sets on a version not replicated to their
    region; fewer replicas than one per 20 scale set instances; versions
    past end of life still picked as latest; versions that block their
    own deletion; storage account types that differ between regions;
    definitions that cannot serve Trusted Launch VMs. Each finding names
    its knowledge-base entry, with the fix and the commands.

    -o json is {scope, summary, targets}: one target per gallery
    resource with findings, each in the shape of a check report
    ({target, summary, findings}); summary counts every rule outcome
    (pass, fail, warn, skip, unverified). A rule that could not run
    because a read failed (denied, throttled out, server or network
    error) is unverified, never passed. The command exits 1 when a
    finding reaches --fail-on (default unverified: failures and
    unverified rules). --report-format sarif|junit --report-file PATH
    writes the findings for pipeline dashboards.
examples:
  - name: Scan every subscription the login can read.
    text: az sig doctor scan -o table
  - name: Scan a management group; fail on failures only; publish SARIF.
    text: |-
        az sig doctor scan --management-group platform --fail-on error \\
            --report-format sarif --report-file scan.sarif -o none
  - name: One tab-separated line per failure in two subscriptions.
    text: |-
        az sig doctor scan \\
            --subscriptions 00000000-0000-0000-0000-000000000001 \\
                            00000000-0000-0000-0000-000000000002 \\
            --query "targets[].findings[?status=='fail'][].[rule, detail]" \\
            -o tsv
"""

# ---- rules (rule_catalog) -----------------------------------------------------------------------------

helps["sig doctor rule"] = """
type: group
short-summary: Browse the rules of the pre-checks and the scan.
"""

helps["sig doctor rule list"] = """
type: command
short-summary: List every rule of the pre-checks and the scan.
long-summary: |
    Generated from the rule registries: id, title, description (why the
    rule matters), the commands that run it, the kinds of resource it
    checks, whether it reads Azure (live) or the arguments alone, what
    it needs to apply (requires), its level, and the knowledge-base
    entries it prevents with their documentation. docs/rules.md and the
    SARIF reports say the same.
examples:
  - name: Every rule as a table.
    text: az sig doctor rule list -o table
  - name: The rules that run without a login (offline).
    text: az sig doctor rule list --query "[?!live].id" -o tsv
"""

helps["sig doctor rule show"] = """
type: command
short-summary: Show one rule and the errors it prevents.
examples:
  - name: Show one rule.
    text: az sig doctor rule show --id version.source-os-state
  - name: Only the entries it prevents.
    text: |-
        az sig doctor rule show --id estate.replication-failed \\
            --query "prevents[].id" -o tsv
"""

# ---- check-build: Packer, Image Builder and Terraform templates (build/) ------------------------------

helps["sig doctor check-build"] = """
type: command
short-summary: Check a template or a plan before the build.
long-summary: |
    Takes exactly one of --packer (a .pkr.hcl file, a directory of them, or
    a legacy JSON template, with --var and --var-file as packer build takes
    them), --image-template (Image Builder JSON, bare or inside an ARM
    template) or --terraform-plan (terraform show -json PLANFILE). Every
    gallery-bound build or resource becomes the request of the core command
    it amounts to and runs through the rules of check-version,
    check-definition and check-vm (offline, then read-only against the live
    resources, each resource read once for all builds), plus the tools' own
    rules: Packer's refusals (managed image with Trusted Launch, region
    settings across plugin versions, shallow replication, publishing
    timeout), Image Builder's distribution fields per API version,
    Terraform's fixed properties, replaces and ordering. A value the
    template leaves unresolved offline (a function, the environment, known
    after apply) makes the rules it decides unverified. -o json is a list of
    reports, one per build ({target, summary, fixed_command,
    fixed_command_powershell, fix_details, findings}); the target names the
    file, line, tool and build; each finding to act on has a location (file,
    line, setting) and each failure an edit (the setting and the value to
    write). --report-format sarif locates every result at the template's
    file and line. Exit code 1 when a finding reaches --fail-on (default
    unverified); 0 for a template without a gallery destination.
examples:
  - name: Check a Packer template before packer build.
    text: |-
        az sig doctor check-build --packer ./images/ubuntu.pkr.hcl \\
            --var image_version=1.2.3 -o table \\
            && packer build -var image_version=1.2.3 ./images/ubuntu.pkr.hcl
  - name: A directory of HCL2 files with a variable file, SARIF for code scanning.
    text: |-
        az sig doctor check-build --packer ./images \\
            --var-file prod.pkrvars.hcl \\
            --report-format sarif --report-file build.sarif -o none
  - name: An Image Builder template, offline.
    text: |-
        az sig doctor check-build --image-template aib-template.json \\
            --offline -o table
  - name: A Terraform plan.
    text: |-
        terraform plan -out tf.plan
        terraform show -json tf.plan > tf.plan.json
        az sig doctor check-build --terraform-plan tf.plan.json -o table
"""
