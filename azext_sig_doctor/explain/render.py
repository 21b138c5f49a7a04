"""A short report a person can follow, for a terminal (the JSON stays the command's output), in
the current language."""

from azext_sig_doctor.i18n.catalog import say

_LABELS = "explain.report"
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
        lines.append("   " + say(_LABELS, "run", command=command))
        note = notes[index] if index < len(notes) else None
        if note:
            lines.append("        # {}".format(note))
    return lines


def _fixed_lines(finding):
    """The fixed command (the failed command with every fix of its findings applied), what must run
    before it, or why there is none; for a tool's output, the setting to change in its file."""
    tool = finding.get("tool_fix")
    if tool:
        where = say(_LABELS, "tool-where", file=tool["file"], line=tool["line"]) if tool.get("file") else ""
        text = tool.get("setting") or say(_LABELS, "tool-fix", tool=tool["tool"], fix=finding.get("fix") or "")
        return ["   " + say(_LABELS, "in-tool", tool=tool["tool"], where=where, text=text)]
    details = finding.get("fix_details") or {}
    lines = ["   " + say(_LABELS, "first", command=step["command"]) for step in details.get("before") or []]
    powershell = finding.get("source") == "powershell" and finding.get("fixed_command_powershell")
    if finding.get("fixed_command"):
        lines.append("   " + say(_LABELS, "fixed-command", command=finding["fixed_command_powershell"] if powershell
                                 else finding["fixed_command"]))
    elif finding.get("unresolved"):
        lines.append("   " + say(_LABELS, "no-fixed-command", reason=finding["unresolved"]))
    return lines


def report(findings, bytes_read=None):
    """The report in the current language (labels and the entries' words; commands, ids and codes
    as they are)."""
    if not findings:
        if bytes_read == 0:
            return say(_LABELS, "empty")
        return say(_LABELS, "none-found")
    lines = [say(_LABELS, "failures-found", count=len(findings))]
    for number, finding in enumerate(findings, 1):
        where = resource_label(finding.get("resource"))
        operation = finding.get("operation") or {}
        head = say(_LABELS, "heading", number=number, line=finding.get("line"), title=finding.get("title") or "")
        if finding.get("count", 1) > 1:
            head += say(_LABELS, "repeated", count=finding["count"])
        lines.append("")
        lines.append(head)
        lines.append("   " + say(_LABELS, "ids", id=finding.get("id") or say(_LABELS, "unknown-id"),
                                 code=finding.get("code") or "-"))
        if where or operation.get("method"):
            subject = "{} {}".format(operation.get("method") or "", where)
            lines.append("   " + say(_LABELS, "on-resource", where=subject).rstrip())
        if finding.get("id"):
            lines.append("   " + say(_LABELS, "cause", text=finding.get("cause") or ""))
            lines.append("   " + say(_LABELS, "fix", text=finding.get("fix") or ""))
            lines.extend(_run_lines(finding))
        else:
            lines.append("   " + say(_LABELS, "message", text=(finding.get("message") or "")[:300]))
            if finding.get("nearest"):
                lines.append("   " + say(_LABELS, "nearest", ids=", ".join(finding["nearest"])))
        lines.extend(_fixed_lines(finding))
    lines.append("")
    lines.append(say(_LABELS, "more"))
    return "\n".join(lines)
