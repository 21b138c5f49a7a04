"""The contract of a JSON body: its shape (keys and types at each level) and the few exact values
that are contract (states, codes, enums, the display form of region names), and the comparison of
an emulator answer with it.

Shapes: a dict maps each key to the shape of its value; a list holds the shape of each element;
a scalar is its type name ("str", "int", "float", "bool", "null"); "object" is a dict whose keys
are not contract (tags). Paths are dotted, list elements `[i]` (`[]` in scopes: every element).
"""

# Keys whose values are contract wherever they appear (enums, states, codes, casing).
CONTRACT_KEYS = {
    "provisioningState", "status", "state", "aggregatedState", "code", "level", "displayStatus",
    "type", "location", "osType", "osState", "hyperVGeneration", "architecture",
    "storageAccountType", "hostCaching", "caching", "createOption", "deleteOption",
    "validationOperationStatus", "reportedForPolicyViolation",
    "allowDeletionOfReplicatedLocations", "excludeFromLatest", "replicaCount",
    "regionalReplicaCount", "securityType", "diskState", "lun", "sizeInGB", "diskSizeGB",
    "isSoftDeleteEnabled", "retentionPeriodInDays", "incremental", "isArmResource", "tier",
    "startsAtVersion", "toBeDetached",
}
# Keys whose value is contract only inside these parents (region display names, feature names).
CONTRACT_IN = {"name": {"targetRegions", "features", "sku"}, "value": {"features"}}
# Dicts whose own keys are data, not contract.
OPAQUE = {"tags"}


def type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    return "dict"


def shape_of(value, key=None):
    if key in OPAQUE and isinstance(value, dict):
        return "object"
    if isinstance(value, dict):
        return {k: shape_of(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [shape_of(item, key) for item in value]
    return type_name(value)


def values_of(value, path="", key=None, parent=None):
    """{dotted path: value} of the contract values in a body."""
    found = {}
    if isinstance(value, dict):
        if key in OPAQUE:
            return found
        for k, v in value.items():
            found.update(values_of(v, f"{path}.{k}" if path else k, k, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(values_of(item, f"{path}[{index}]", key, parent))
    elif key in CONTRACT_KEYS or parent in CONTRACT_IN.get(key, ()):
        found[path] = value
    return found


def derive(body):
    """The contract of a recorded body (None for an empty one)."""
    if body is None or body == "":
        return None
    return {"shape": shape_of(body), "values": values_of(body)}


# --- comparison ---------------------------------------------------------------------------

def _generic(path):
    """a.b[3].c -> a.b[].c (scopes and ignores name list elements with [])."""
    out, depth = [], 0
    for char in path:
        if char == "[":
            depth += 1
            out.append("[]")
        elif char == "]":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _under(path, prefixes):
    generic = _generic(path)
    return any(generic == p or generic.startswith((p + ".", p + "[")) for p in prefixes)


def _above(path, prefixes):
    """True when `path` leads to one of the prefixes (so it must be walked into)."""
    generic = _generic(path)
    return not path or any(p.startswith((generic + ".", generic + "[")) for p in prefixes)


def compare_shape(recorded, actual, path="", scope=None, ignore=()):
    """Differences between a recorded shape and the emulator's body, as sentences."""
    def considered(p):
        if _under(p, ignore):
            return False
        return scope is None or _under(p, scope) or _above(p, scope)

    differences = []
    where = path or "(body)"
    if recorded == "object":
        if not isinstance(actual, dict):
            differences.append(f"{where}: recorded an object, emulator {type_name(actual)}")
        return differences
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return [f"{where}: recorded an object, emulator {type_name(actual)}"]
        for key, sub in recorded.items():
            child = f"{path}.{key}" if path else key
            if not considered(child):
                continue
            if key not in actual:
                cased = [k for k in actual if k.lower() == key.lower()]
                hint = f" (emulator has '{cased[0]}')" if cased else ""
                differences.append(f"{child}: missing{hint}")
                continue
            differences += compare_shape(sub, actual[key], child, scope, ignore)
        for key in actual:
            child = f"{path}.{key}" if path else key
            if key not in recorded and considered(child) and \
                    (scope is None or _under(child, scope)):
                differences.append(f"{child}: not in the recording")
        return differences
    if isinstance(recorded, list):
        if not isinstance(actual, list):
            return [f"{where}: recorded a list, emulator {type_name(actual)}"]
        if len(recorded) != len(actual):
            differences.append(f"{where}: recorded {len(recorded)} items, emulator {len(actual)}")
        for index, (sub, item) in enumerate(zip(recorded, actual)):
            differences += compare_shape(sub, item, f"{path}[{index}]", scope, ignore)
        return differences
    found = type_name(actual)
    if found != recorded and not (recorded == "float" and found == "int"):
        differences.append(f"{where}: recorded {recorded}, emulator {found}")
    return differences


def lookup(body, path):
    """The value at a dotted path with [i] indexes; KeyError when absent."""
    value = body
    for part in path.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            value = value[int(part[1:-1])]
        else:
            value = value[part]
    return value


def compare_values(recorded, actual, scope=None, ignore=()):
    differences = []
    for path, expected in recorded.items():
        if _under(path, ignore) or (scope is not None and not _under(path, scope)):
            continue
        try:
            found = lookup(actual, path)
        except (KeyError, IndexError, TypeError, ValueError):
            continue  # reported by the shape comparison
        if found != expected:
            differences.append(f"{path}: recorded {expected!r}, emulator {found!r}")
    return differences


def compare_body(contract, actual, scope=None, ignore=()):
    if contract is None:
        return [] if actual in (None, "", b"") else ["(body): recorded empty, emulator has one"]
    if actual is None:
        return ["(body): recorded a body, emulator answered none"]
    return compare_shape(contract["shape"], actual, scope=scope, ignore=ignore) + \
        compare_values(contract.get("values") or {}, actual, scope=scope, ignore=ignore)
