"""GET / list / PUT / PATCH / DELETE of Microsoft.Compute resources, with their LROs."""

import copy
from dataclasses import dataclass
from datetime import datetime, timezone

from . import (catalog, validate_definition, validate_disk, validate_gallery, validate_version,
               validate_vm)
from .errors import ArmError
from .http import json_response
from .paging import page
from .replication import operation_status
from .routing import COMPUTE, RESOURCE_TYPES, parse_resource_id
from .scenario import EMULATOR_KEY
from .store import region_key
from .views import instance_view, resource_view

# type path -> module with check_put(ctx, rid, body, existing) and check_delete(ctx, rid, record)
VALIDATORS = {
    "galleries": validate_gallery,
    "galleries/images": validate_definition,
    "galleries/images/versions": validate_version,
    "virtualMachines": validate_vm,
    "disks": validate_disk,
    "snapshots": validate_disk,
}

# The disk resource provider's types. Recorded (tests/contract: test_gallery_specialized and
# test_gallery_image_version_vhd for disks and snapshots, test_gallery_e2e for a disk encryption
# set): a PUT answers 202 with Azure-AsyncOperation and Location on .../DiskOperations/..., its
# body the request echoed with provisioningState Updating; the operation, once Succeeded, carries
# the resource as properties.output, and its Location (monitor) URL answers the resource itself.
DISK_RP = {"disks", "snapshots", "diskEncryptionSets"}


def _disk_rp_answer(rid, sent):
    """A disk RP PUT's answer: the request echoed, provisioningState Updating; a snapshot's (2025)
    also names itself (id, name, type; guessed alike for a disk), a disk encryption set's (2026)
    does not."""
    answer = copy.deepcopy(sent)
    if rid.type_path != "diskEncryptionSets":
        answer = {"name": rid.name, "id": str(rid), "type": rid.full_type, **answer}
    answer.setdefault("properties", {})["provisioningState"] = "Updating"
    return answer


@dataclass
class Context:
    state: object
    caller: object
    base_url: str
    api_version: str


def utc_now():
    return datetime.now(timezone.utc).isoformat()


def not_found(rid):
    names = [f"{COMPUTE}/{rid.types[0]}/{rid.names[0]}"] + \
        [f"{t}/{n}" for t, n in zip(rid.types[1:], rid.names[1:])]
    return ArmError(404, "ResourceNotFound",
                    f"The Resource '{'/'.join(names)}' under resource group "
                    f"'{rid.resource_group}' was not found. For more details please go to "
                    f"https://aka.ms/ARMResourceNotFoundFix")


def require_resource_group(ctx, rid):
    catalog.require_subscription(ctx.state, ctx.caller, rid.subscription)
    if ctx.state.resource_group(rid.subscription, rid.resource_group) is None:
        raise catalog.resource_group_not_found(rid.resource_group)


def get(ctx, rid, query):
    require_resource_group(ctx, rid)
    record = ctx.state.get(rid)
    if record is None:
        raise not_found(rid)
    return json_response(resource_view(ctx.state, record, query.get("$expand", ""),
                                       ctx.api_version))


def get_instance_view(ctx, rid):
    require_resource_group(ctx, rid)
    record = ctx.state.get(rid)
    if record is None:
        raise not_found(rid)
    return json_response(instance_view(ctx.state, record))


def list_collection(ctx, rid, query, path):
    require_resource_group(ctx, rid)
    parent = rid.parent()
    if parent is not None:
        if ctx.state.get(parent) is None:
            raise not_found(parent)
        records = ctx.state.children(parent, rid.types[-1])
    else:
        records = ctx.state.of_type(rid.full_type, rid.subscription, rid.resource_group)
    items = [resource_view(ctx.state, r, query.get("$expand", ""), ctx.api_version)
             for r in records]
    return json_response(page(items, query, ctx.base_url, path, ctx.state.page_size))


def list_subscription(ctx, subscription_id, type_name, query, path):
    catalog.require_subscription(ctx.state, ctx.caller, subscription_id)
    if type_name.lower() == "skus":
        items = catalog.skus(ctx.state, query.get("$filter", ""))
    else:
        canonical = RESOURCE_TYPES.get(type_name.lower())
        if canonical is None:
            raise ArmError(400, "InvalidResourceType",
                           f"The resource type '{type_name}' could not be found in the "
                           f"namespace '{COMPUTE}' for api version '{ctx.api_version}'.")
        records = ctx.state.of_type(f"{COMPUTE}/{canonical}", subscription_id)
        items = [resource_view(ctx.state, r, api_version=ctx.api_version) for r in records]
    return json_response(page(items, query, ctx.base_url, path, ctx.state.page_size))


def _operation_headers(ctx, operation, include_location=False, kind="capsOperations"):
    url = (f"{ctx.base_url}/subscriptions/{operation.subscription}/providers/{COMPUTE}/locations/"
           f"{operation.location}/{kind}/{operation.id}?api-version={ctx.api_version}")
    headers = {"Azure-AsyncOperation": url}
    if ctx.state.lro_retry_after is not None:
        headers["Retry-After"] = ctx.state.lro_retry_after
    if include_location:
        headers["Location"] = url + "&monitor=true"
    return headers


def _deep_merge(target, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def write(ctx, rid, body, method):
    """PUT (create or replace) or PATCH (merge) of a resource."""
    require_resource_group(ctx, rid)
    state = ctx.state
    catalog.require_registration(state, rid.subscription)
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid and could not be deserialized.")
    existing = state.get(rid)
    refuse_while_deleting(rid, existing)
    sent = copy.deepcopy(body)
    if method == "PATCH":
        if existing is None:
            raise not_found(rid)
        merged = copy.deepcopy(existing.resource)
        merged.pop(EMULATOR_KEY, None)
        body = _deep_merge(merged, body)
    body = copy.deepcopy(body)
    body.pop(EMULATOR_KEY, None)
    validator = VALIDATORS.get(rid.type_path)
    meta = dict(existing.meta) if existing else {}
    if validator is not None:
        meta.update(validator.check_put(ctx, rid, body, existing) or {})
    resource = {
        "id": str(rid), "name": rid.name, "type": rid.full_type,
        "location": body.get("location") or (existing.resource["location"] if existing else ""),
        "properties": copy.deepcopy(body.get("properties") or {}),
    }
    # Recorded: an answer has `tags` only when the request sent them (test_gallery_e2e, sig create).
    for extra in ("tags", "plan", "identity", "zones", "sku", "extendedLocation"):
        if extra in body:
            resource[extra] = copy.deepcopy(body[extra])
    if validator is not None and hasattr(validator, "complete"):
        validator.complete(ctx, rid, resource, existing)
    created = existing is None
    meta["created"] = created
    operation = state.new_operation(region_key(resource["location"]) or "eastus",
                                    rid.subscription, rid.key(), "put" if created else "patch",
                                    duration=state.duration(method, rid.type_path))
    meta["operation_id"] = operation.id
    resource["properties"]["provisioningState"] = "Creating" if created else "Updating"
    record = state.put(resource, meta)
    if rid.type_path in DISK_RP and method == "PUT":
        return json_response(_disk_rp_answer(rid, sent), 202,
                             _operation_headers(ctx, operation, True, "DiskOperations"))
    view = resource_view(state, record)
    view["properties"]["provisioningState"] = "Creating" if created else "Updating"
    if validator is not None and hasattr(validator, "answer"):
        view = validator.answer(ctx, rid, view, sent, existing)
    # Every write of a Compute resource is a long-running operation (201/200 + polling URL);
    # PATCH answers 200, the only status the SDK accepts for it.
    status = 201 if created and method == "PUT" else 200
    return json_response(view, status, _operation_headers(ctx, operation))


def delete(ctx, rid):
    require_resource_group(ctx, rid)
    record = ctx.state.get(rid)
    if record is None:
        return json_response(None, 204)
    validator = VALIDATORS.get(rid.type_path)
    if validator is not None and hasattr(validator, "check_delete"):
        validator.check_delete(ctx, rid, record)
    operation = ctx.state.new_operation(region_key(record.resource.get("location")) or "eastus",
                                        rid.subscription, rid.key(), "delete",
                                        duration=ctx.state.duration("DELETE", rid.type_path))
    if operation.duration > 0:
        # The resource stays, "Deleting", until the operation ends (State.purge_deleted).
        record.meta["operation_id"] = operation.id
        record.meta["deleting"] = True
    else:
        ctx.state.delete(rid)
    kind = "DiskOperations" if rid.type_path in DISK_RP else "capsOperations"  # guessed for disks
    return json_response(None, 202, _operation_headers(ctx, operation, True, kind))


_UPDATE_NAMES = {"galleries": "Update Gallery", "galleries/images": "Update Gallery Image",
                 "galleries/images/versions": "Update Gallery Image Version"}


def refuse_while_deleting(rid, existing):
    if existing is not None and existing.meta.get("deleting"):
        action = _UPDATE_NAMES.get(rid.type_path, "Update")
        raise ArmError(409, "OperationNotAllowed",  # guessed code
                       f"Operation '{action}' is not on allowed on {rid.name}; since it is marked "
                       f"for deletion. You can only retry the Delete operation (or wait for an "
                       f"ongoing one to complete).")


def operation(ctx, op_id, query):
    state = ctx.state
    found = state.operations.get(op_id)
    if found is None:
        raise ArmError(404, "OperationNotFound", f"The operation '{op_id}' was not found.")
    status, error = operation_status(state, found, state.clock.now())
    body = {"name": found.id, "status": status, "startTime": found.started_at}
    if status != "InProgress":
        body["endTime"] = utc_now()
    if error:
        body["error"] = error
    output = _disk_rp_output(state, found, status, ctx.api_version)
    if output is not None:
        body["properties"] = {"output": output}
    headers = {"Retry-After": state.lro_retry_after} \
        if status == "InProgress" and state.lro_retry_after is not None else {}
    if query.get("monitor") and status != "InProgress":
        return json_response(output, 200)   # empty but for the disk RP (guessed for the others)
    return json_response(body, 200, headers)


def _disk_rp_output(state, operation, status, api_version):
    """The resource a finished disk RP write made (its operation's properties.output)."""
    if status != "Succeeded" or operation.kind == "delete":
        return None
    record = state.resources.get(operation.resource_key)
    parsed = parse_resource_id(record.resource["id"]) if record is not None else None
    if parsed is None or parsed.type_path not in DISK_RP:
        return None
    return resource_view(state, record, api_version=api_version)
