"""Template deployments (Bicep, ARM) as the clients around them print their failures:

* ``New-AzResourceGroupDeployment: 6:37:27 PM - Error: Code=InvalidParameter; Message=...``
  (Az PowerShell's deployment cmdlets; also without the cmdlet and time);
* ``Deployment failed. Correlation ID: ... <message>`` (the Azure DevOps ARM and Image Builder tasks);
* ``BadRequest: { json } undefined`` after ``##[error]Details:`` (the DevOps task's details; the JSON
  is left to the JSON parser).
"""

import re

from azext_sig_doctor.explain.forms.lines import as_error

NAME = "deployment"
SOURCE = "bicep"

_CODE_MESSAGE = re.compile(r"^(?P<lead>.*?)\bError:\s*Code=(?P<code>[A-Za-z][\w.]*);\s*Message=(?P<message>.*)$")
_CORRELATION = re.compile(r"^(?P<lead>.*?)\bDeployment failed\.\s*Correlation ID:\s*[\w-]+\.\s*(?P<message>.*)$")
_NOISE = re.compile(r"(?:^|\s-\s|:\s)(?:The deployment validation failed|Task failed while creating or updating the "
                    r"template deployment\.?)\s*$")
_CMDLET_LEAD = re.compile(r"^\s*(?:##\[error\])?[A-Z][a-z]+-Az[A-Za-z]+\s?:\s*[\d:]+\s*[AP]M\s*-\s*$")
_IMAGE_BUILDER = re.compile(r"building/customizing image|packerizer|distributing \d+ images|image template",
                            re.IGNORECASE)


def detect(text):
    return "; Message=" in text or "Correlation ID:" in text or "deployment validation failed" in text or \
        "Task failed while creating" in text


def rewrite(lines):
    out = []
    for line in lines:
        text = line.text
        found = _CODE_MESSAGE.match(text) if "Code=" in text else None
        if found:
            if found.group("lead").strip(" -:") and not _CMDLET_LEAD.match(found.group("lead")):
                out.append(line._replace(text=found.group("lead").rstrip()))
            out.append(line._replace(text="({}) {}".format(found.group("code"), found.group("message").strip()),
                                     source=SOURCE))
            continue
        found = _CORRELATION.match(text) if "Correlation ID:" in text else None
        if found and found.group("message").strip():
            source = "image-builder" if _IMAGE_BUILDER.search(text) else SOURCE
            out.extend(as_error(line, found.group("lead"), found.group("message").strip(), source))
            continue
        if _NOISE.match(text):
            continue
        out.append(line)
    return out
