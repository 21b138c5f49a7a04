"""A command line as the user typed it: the command's words, then its options in order.

``CommandLine.parse(words)`` groups the words after the command name: every word that starts
with a dash begins an option (``--opt=value`` is split), and the words up to the next option are
its values (az commands take no positional arguments, so this is how az's own parser assigns
them). Nothing is dropped or reordered: ``render()`` gives the same words back, quoted for a
POSIX shell, and a rewritten line keeps every option it did not change exactly where it was.
"""

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Tuple

from azext_sig_doctor.domain import options as opts

_NEGATIVE_NUMBER = re.compile(r"^-\d+(\.\d+)?$")


@dataclass(frozen=True)
class Group:
    """One option as typed: ``option`` (``-g``, ``--target-regions``) and its values."""

    option: str
    values: Tuple[str, ...] = ()

    def words(self):
        return (self.option,) + tuple(self.values)


@dataclass(frozen=True)
class CommandLine:
    program: str
    command: Tuple[str, ...]
    groups: Tuple[Group, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, words, command_words, program="az"):
        """``words`` (a whole argv, with or without the program name) of ``command_words``.

        Words before the command (none, usually) are left out; returns None when ``words`` do
        not hold the command.
        """
        words = list(words)
        if words and words[0] in ("az", "az.cmd", "az.exe"):
            words = words[1:]
        command = tuple(command_words)
        if tuple(w.lower() for w in words[:len(command)]) != command:
            return None
        groups = []
        for word in words[len(command):]:
            if _is_option(word):
                option, sep, value = word.partition("=")
                groups.append([option, [value] if sep else []])
            elif groups:
                groups[-1][1].append(word)
            else:
                return None  # a stray word before any option: not a command line az would take
        return cls(program, command, tuple(Group(option, tuple(values)) for option, values in groups))

    def value(self, option):
        """The first value given to ``option`` (as typed), or None."""
        return next((group.values[0] for group in self.groups if group.option == option and group.values), None)

    def words_all(self):
        """Every word after the program name: the command, then each option and its values."""
        words = list(self.command)
        for group in self.groups:
            words.extend(group.words())
        return words

    def render(self):
        """The line for a POSIX shell (bash, zsh, sh): each word quoted only where it must be. A
        secret never reaches the line: the value of a secret option (abbreviated or not) becomes a
        ``<placeholder>`` the user fills in, a secret inside a word (a SAS signature) is masked
        before quoting (quoting would hide it from the masker); ``secrets_left_out`` names them."""
        return " ".join(quote(word) for word in self._shown_words())

    def secrets_left_out(self):
        """The options whose value ``render`` does not print (a secret), in order, each once."""
        from azext_sig_doctor.secrets import mask, secret_option
        found = []
        for group in self.groups:
            hidden = secret_option(group.option) or any(mask(value) != value for value in group.values)
            if hidden and group.values and group.option not in found:
                found.append(group.option)
        return found

    def _shown_words(self):
        from azext_sig_doctor.secrets import mask, secret_option
        words = [self.program, *self.command]
        for group in self.groups:
            secret = secret_option(group.option)
            if secret and group.values:
                words.append(group.option)
                words.extend("<{}>".format(secret.lstrip("-")) for _ in group.values)
            else:
                words.extend(mask(word) for word in group.words())
        return words

    def dests(self, table):
        """``{dest: Group}`` of the options ``table`` knows (the last one when an option is repeated,
        as az's parser takes it)."""
        index = opts.option_index(table)
        return {index[group.option].dest: group for group in self.groups if group.option in index}

    def arguments(self, table):
        """The values az's parser would hand the command for the options in ``table``:
        ``{dest: value}`` with a list for ``many`` options and True for bare flags."""
        index = opts.option_index(table)
        values = {}
        for group in self.groups:
            option = index.get(group.option)
            if option is None:
                continue
            values[option.dest] = value_of(option, group.values)
        return values

    def with_command(self, command, program=None):
        return replace(self, command=tuple(command), program=program or self.program)

    def without(self, dests, table):
        """The line without the options of ``dests`` (by their dest in ``table``)."""
        index = opts.option_index(table)
        return replace(self, groups=tuple(g for g in self.groups
                                          if not (g.option in index and index[g.option].dest in dests)))

    def rewrite(self, changes, table):
        """The line with the options of ``changes`` (``{dest: values or None}``) set: an option the
        line has is replaced where it stands (None drops it), a new one is added at the end; every
        other word stays as it was."""
        index = opts.option_index(table)
        done = set()
        groups = []
        for group in self.groups:
            option = index.get(group.option)
            if option is None or option.dest not in changes:
                groups.append(group)
                continue
            if option.dest in done:
                continue  # a repeated option: az takes the last; the new value stands once
            done.add(option.dest)
            new = changes[option.dest]
            if new is not None:
                groups.append(Group(group.option, tuple(new)))
        for dest, new in changes.items():
            if dest not in done and new is not None:
                groups.append(Group(table[dest].options[0], tuple(new)))
        return replace(self, groups=tuple(groups))


def _is_option(word):
    return word.startswith("-") and len(word) > 1 and not _NEGATIVE_NUMBER.match(word)


def value_of(option, values):
    """What az's parser makes of an option's words."""
    if option.arity == opts.MANY:
        return list(values)
    if option.arity == opts.FLAG:
        return True
    if option.arity == opts.TRI:
        return values[0] if values else True
    return values[0] if values else None


def words_for(option, value):
    """The words that give ``option`` the value ``value`` (None: leave the option out)."""
    if value is None or value is False:
        return None
    if option.arity == opts.FLAG:
        return ()
    if option.arity == opts.TRI:
        return () if value is True else (_text(value),)
    if option.arity == opts.MANY:
        return tuple(_text(item) for item in value)
    return (_text(value),)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./\-]+$")


def quote(word):
    """A word as a POSIX shell reads it back unchanged (plain words stay unquoted)."""
    if word and _PLAIN.match(word):
        return word
    return shlex.quote(word)


def core_line(line, core_words=None):
    """A doctor check or create line as the core command it guards (the doctor's options and the
    output options left out, ``--subscription`` kept); a core line stays as it is."""
    command = tuple(line.command)
    core = core_words or opts.DOCTOR_COMMANDS.get(command, command)
    table = opts.table_of(core)
    if table is None:
        return None
    drop_doctor = command in opts.DOCTOR_COMMANDS and command[2].startswith("check-")
    stripped = line
    if drop_doctor:
        stripped = stripped.without(set(opts.DOCTOR), opts.DOCTOR).with_command(core)
    return stripped.without(set(opts.OUTPUT_DESTS), opts.GLOBAL)


def vm_command_words(line):
    """Which command a check-vm line stands for: ``disk create`` for --gallery-image-reference,
    ``vmss create`` for an option only az vmss create has, else ``vm create``."""
    typed = {group.option for group in line.groups}
    if "--gallery-image-reference" in typed:
        return ("disk", "create")
    if typed & _VMSS_ONLY:
        return ("vmss", "create")
    return ("vm", "create")


_VMSS_ONLY = {"--vm-sku", "--instance-count", "--orchestration-mode", "--upgrade-policy-mode", "--lb",
              "--load-balancer", "--single-placement-group", "--disable-overprovision", "--computer-name-prefix",
              "--scale-in-policy", "--zone-balance", "--zones", "--app-gateway", "--vm-domain-name",
              "--public-ip-per-vm", "--max-batch-instance-percent", "--backend-pool-name"}
