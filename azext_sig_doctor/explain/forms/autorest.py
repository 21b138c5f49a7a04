"""Go autorest errors (Terraform's azurerm provider before go-azure-sdk, Packer, other Go tools):
``Code="..." Message="..." Target="..."``, where the message holds a line feed of its own (the
service's text had one) so that the closing quote is on a later line."""

import re

NAME = "autorest"

_OPEN = re.compile(r'\bMessage=("{1,2})((?:\\.|[^"\\])*)$')
_MAX_LINES = 12


def detect(text):
    return 'Message="' in text


def rewrite(lines):
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = 'Message="' in line.text and _OPEN.search(line.text)
        if not opened:
            out.append(line)
            index += 1
            continue
        text = line.text
        following = index + 1
        while following < len(lines) and following - index <= _MAX_LINES:
            more = lines[following].text
            text += " " + more.strip()
            following += 1
            if '"' in more:
                break
        else:
            # No closing quote: a message cut short, not one broken by a line feed.
            out.append(line)
            index += 1
            continue
        out.append(line._replace(text=text))
        index = following
    return out
