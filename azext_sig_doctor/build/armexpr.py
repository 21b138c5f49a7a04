"""Values of ARM template JSON as a deployment would see them offline: ``[parameters('x')]`` with
a default value and ``[variables('y')]`` with a plain value resolve; any other template
expression, and the ``<placeholders>`` that sample templates leave for their reader to fill, are
Unknown (never guessed)."""

import re

from azext_sig_doctor.build.model import Unknown

_CALL = re.compile(r"^\[\s*(parameters|variables)\(\s*'([^']+)'\s*\)\s*\]$")
_PLACEHOLDER = re.compile(r"<[A-Za-z][\w .-]*>")


class ArmValues:
    def __init__(self, template=None, parameter_values=None):
        template = template if isinstance(template, dict) else {}
        self.parameters = template.get("parameters") if isinstance(template.get("parameters"), dict) else {}
        self.variables = template.get("variables") if isinstance(template.get("variables"), dict) else {}
        self.given = parameter_values or {}

    def value(self, value, depth=0):
        if isinstance(value, list):
            return [self.value(item, depth) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item, depth) for key, item in value.items()}
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("[[") or not (text.startswith("[") and text.endswith("]")):
            placeholder = _PLACEHOLDER.search(value)
            if placeholder:
                return Unknown("the template leaves {} for you to fill in".format(placeholder.group(0)), value)
            return value[1:] if text.startswith("[[") else value
        call = _CALL.match(text)
        if call and depth < 8:
            kind, name = call.groups()
            if kind == "parameters":
                if name in self.given:
                    return self.value(self.given[name], depth + 1)
                declared = self.parameters.get(name)
                if isinstance(declared, dict) and "defaultValue" in declared:
                    return self.value(declared["defaultValue"], depth + 1)
                return Unknown("parameter '{}' has no default value; its value is given at deployment".format(name),
                               value)
            if name in self.variables:
                return self.value(self.variables[name], depth + 1)
            return Unknown("variable '{}' is not declared".format(name), value)
        return Unknown("the template expression {} is evaluated at deployment".format(text), value)
