"""Scenario files (YAML or a dict) -> a fresh State. The format is in README.md."""

import copy
import functools
import os

import yaml

from .clock import Clock
from .faults import Faults
from .routing import parse_resource_id
from .store import ReplicationSettings, State, region_key

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "scenarios")

EMULATOR_KEY = "x-emulator"   # per-resource settings that are not part of the wire shape


class ScenarioError(ValueError):
    pass


def read_scenario(name_or_data):
    """A dict is taken as is; a string is a path or a file name under tests/scenarios."""
    if isinstance(name_or_data, dict):
        return copy.deepcopy(name_or_data)
    path = name_or_data
    if not os.path.exists(path):
        path = os.path.join(SCENARIO_DIR, name_or_data)
        if not path.endswith((".yaml", ".yml")) and not os.path.exists(path):
            path += ".yaml"
    data = copy.deepcopy(_parse_file(os.path.abspath(path), os.path.getmtime(path)))
    data.setdefault("name", os.path.splitext(os.path.basename(path))[0])
    return data


@functools.lru_cache(maxsize=32)
def _parse_file(path, mtime):  # pylint: disable=unused-argument
    """Tests load the same files again and again: parse each (path, mtime) once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader) or {}  # nosec: safe loader


KNOWN_KEYS = {
    None: {"name", "tenants", "subscriptions", "principal", "locations", "gallery_locations",
           "zrs_locations", "page_size", "latency_ms", "lro_seconds", "operation_seconds",
           "lro_retry_after", "replication", "faults",
           "access", "unregistered_subscriptions", "resource_groups", "resources", "resource_graph"},
    "replication": {"seconds", "speed", "fail_regions", "stall_regions", "stall_at",
                    "max_source_size_gb"},
    "faults": {"method", "path", "query", "status", "count", "retry_after", "drop", "hold_ms", "truncate",
               "latency_ms", "code", "message"},
    "access": {"path", "methods", "code", "action", "linked_subscription", "linked"},
    "resource_graph": {"quota", "window_seconds", "page_size", "management_groups"},
}


def _check_keys(data):
    """A misspelt key would silently do nothing: refuse it."""
    sections = [(None, data), ("replication", data.get("replication") or {}),
                ("resource_graph", data.get("resource_graph") or {})]
    sections += [("faults", item) for item in data.get("faults") or []]
    sections += [("access", item) for item in data.get("access") or []]
    for section, mapping in sections:
        unknown = set(mapping) - KNOWN_KEYS[section]
        if unknown:
            where = f" in {section}" if section else ""
            raise ScenarioError(f"unknown scenario key(s){where}: {', '.join(sorted(unknown))}")


def build_state(data):
    _check_keys(data)
    state = State()
    state.name = data.get("name", "inline")
    if "tenants" in data:
        state.tenants = list(data["tenants"])
    if "subscriptions" in data:
        state.subscriptions = list(data["subscriptions"])
    state.principal.update(data.get("principal") or {})
    if "locations" in data:
        state.locations = dict(data["locations"])
    if "gallery_locations" in data:
        state.gallery_locations = list(data["gallery_locations"])
    if "zrs_locations" in data:
        state.zrs_locations = list(data["zrs_locations"])
    state.page_size = int(data.get("page_size", state.page_size))
    state.lro_seconds = float(data.get("lro_seconds", state.lro_seconds))
    for key, seconds in (data.get("operation_seconds") or {}).items():
        method, _, type_path = str(key).partition(" ")
        state.operation_seconds[(method.upper(), type_path.strip().lower())] = float(seconds)
    if "lro_retry_after" in data:
        value = data["lro_retry_after"]
        state.lro_retry_after = None if value is None else str(int(value))

    replication = data.get("replication") or {}
    fail_regions = replication.get("fail_regions") or {}
    if isinstance(fail_regions, list):
        fail_regions = {region: "" for region in fail_regions}
    state.replication = ReplicationSettings(
        seconds=float(replication.get("seconds", 1.0)),
        fail_regions={region_key(r): reason or "" for r, reason in fail_regions.items()},
        stall_regions=[region_key(r) for r in replication.get("stall_regions") or []],
        stall_at=int(replication.get("stall_at", 40)),
        max_source_size_gb=int(replication.get("max_source_size_gb", 2048)),
    )
    state.clock = Clock(speed=float(replication.get("speed", 1.0)))
    state.faults = Faults(data.get("faults") or [], latency_ms=int(data.get("latency_ms", 0)))
    state.access_rules = list(data.get("access") or [])
    state.resource_graph = dict(data.get("resource_graph") or {})   # read by resourcegraph.py
    state.unregistered_subscriptions = {s.lower() for s in
                                        data.get("unregistered_subscriptions") or []}

    for group in data.get("resource_groups") or []:
        subscription = group.get("subscription") or state.subscriptions[0]["id"]
        state.add_resource_group(subscription, group["name"], group.get("location", "eastus"),
                                 group.get("tags"))
    for resource in data.get("resources") or []:
        add_resource(state, resource)
    return state


def add_resource(state, resource):
    resource = copy.deepcopy(resource)
    parsed = parse_resource_id(resource.get("id"))
    if parsed is None or parsed.is_collection:
        raise ScenarioError(f"not a Microsoft.Compute resource id: {resource.get('id')!r}")
    meta = resource.pop(EMULATOR_KEY, None) or {}
    resource["id"] = str(parsed)
    resource["name"] = parsed.name
    resource["type"] = parsed.full_type
    resource.setdefault("location", "eastus")
    properties = resource.setdefault("properties", {})
    properties.setdefault("provisioningState", "Succeeded")
    if parsed.types == ["galleries"]:
        properties.setdefault("identifier", {
            "uniqueName": f"{parsed.subscription}-{parsed.name.upper()}"})
    if state.resource_group(parsed.subscription, parsed.resource_group) is None:
        state.add_resource_group(parsed.subscription, parsed.resource_group, resource["location"])
    # Versions seeded by a scenario have finished replicating unless they say otherwise.
    meta.setdefault("replication_start", float("-inf"))
    state.put(resource, meta)
    return resource
