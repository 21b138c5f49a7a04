"""A short report a person can follow, for a terminal (the JSON stays the command's output)."""

_ORDER = ("gallery", "image", "version", "vm", "vmss")


def resource_label(resource):
    """``gal1/img1/1.0.0`` or ``vm myvm``: the shortest name that says what was hit."""
    resource = resource or {}
    names = [resource[key] for key in ("gallery", "image", "version") if resource.get(key)]
    if names:
        return "/".join(names)
    for key in ("vm", "vmss", "disk", "snapshot"):
        if resource.get(key):
            return "{} {}".format(key, resource[key])
    return resource.get("resource_group") or ""


def _run_lines(finding):
    """The next commands, each followed by its note as a shell comment (harmless if pasted along).
    An Az PowerShell input gets the PowerShell lines: that is the shell its user works in."""
    if finding.get("source") == "powershell" and finding.get("powershell"):
        commands, notes = finding["powershell"], finding.get("powershell_notes") or []
    else:
        commands, notes = finding.get("commands") or [], finding.get("command_notes") or []
    lines = []
    for index, command in enumerate(commands):
        lines.append("   run: {}".format(command))
        note = notes[index] if index < len(notes) else None
        if note:
            lines.append("        # {}".format(note))
    return lines


def report(findings, bytes_read=None):
    if not findings:
        if bytes_read == 0:
            return "The input is empty: nothing to explain."
        return "No failed gallery operation was found in the input."
    lines = ["{} failure{} found.".format(len(findings), "" if len(findings) == 1 else "s")]
    for number, finding in enumerate(findings, 1):
        where = resource_label(finding.get("resource"))
        operation = finding.get("operation") or {}
        head = "{}. line {}: {}".format(number, finding.get("line"), finding.get("title") or "")
        if finding.get("count", 1) > 1:
            head += " (x{})".format(finding["count"])
        lines.append("")
        lines.append(head)
        lines.append("   id: {}   code: {}".format(finding.get("id") or "unknown", finding.get("code") or "-"))
        if where or operation.get("method"):
            lines.append("   on: {} {}".format(operation.get("method") or "", where).rstrip())
        if finding.get("id"):
            lines.append("   cause: {}".format(finding.get("cause") or ""))
            lines.append("   fix: {}".format(finding.get("fix") or ""))
            lines.extend(_run_lines(finding))
        else:
            lines.append("   message: {}".format((finding.get("message") or "")[:300]))
            if finding.get("nearest"):
                lines.append("   nearest known: {}".format(", ".join(finding["nearest"])))
    lines.append("")
    lines.append("More: az sig doctor error show --id ID")
    return "\n".join(lines)
