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


def _fixed_lines(finding):
    """The fixed command (the failed command with every fix of its findings applied), what must run
    before it, or why there is none; for a tool's output, the setting to change in its file."""
    tool = finding.get("tool_fix")
    if tool:
        where = " ({} line {})".format(tool["file"], tool["line"]) if tool.get("file") else ""
        text = tool.get("setting") or "fix it in the {} configuration: {}".format(tool["tool"],
                                                                                   finding.get("fix") or "")
        return ["   in {}{}: {}".format(tool["tool"], where, text)]
    details = finding.get("fix_details") or {}
    lines = ["   first: {}".format(step["command"]) for step in details.get("before") or []]
    powershell = finding.get("source") == "powershell" and finding.get("fixed_command_powershell")
    if finding.get("fixed_command"):
        lines.append("   fixed command: {}".format(finding["fixed_command_powershell"] if powershell
                                                   else finding["fixed_command"]))
    elif finding.get("unresolved"):
        lines.append("   no fixed command: {}".format(finding["unresolved"]))
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
        lines.extend(_fixed_lines(finding))
    lines.append("")
    lines.append("More: az sig doctor error show --id ID")
    return "\n".join(lines)
