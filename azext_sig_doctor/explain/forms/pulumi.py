"""Pulumi's diagnostics for the azure-native provider:

    azure-native:compute:VirtualMachine (vm1):
        error: Status=404 Code="GalleryImageNotFound" Message=""The gallery image ... region.""

The message is quoted twice (``Message=""...""``): once is enough for the autorest reader, and
the error lines are marked as Pulumi's (the fix goes in the program, not in an az command).
"""

import re

NAME = "pulumi"
SOURCE = "pulumi"

_DOUBLED = re.compile(r'\bMessage=""(?=[^"])')
_DOUBLED_END = re.compile(r'""(?=\s*$)')
_MARK = re.compile(r"\bazure-native:|\bpulumi:|urn:pulumi:")


def detect(text):
    return "azure-native:" in text or "pulumi:" in text or 'Message=""' in text


def clean(message):
    message = message.strip()
    if len(message) > 2 and message.startswith('"') and message.endswith('"') and message.count('"') == 2:
        return message[1:-1]
    return message


def rewrite(lines):
    pulumi = any(_MARK.search(line.text) for line in lines)
    out = []
    for line in lines:
        text = line.text
        if 'Message=""' in text:
            text = _DOUBLED_END.sub('"', _DOUBLED.sub('Message="', text))
        if pulumi and ("Code=" in text or "error:" in text):
            out.append(line._replace(text=text, source=SOURCE))
        else:
            out.append(line._replace(text=text))
    return out
