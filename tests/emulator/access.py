"""Per-scenario access denials: 403 AuthorizationFailed / LinkedAuthorizationFailed."""

import re

from .errors import ArmError
from .routing import parse_resource_id

_VERBS = {"GET": "read", "HEAD": "read", "PUT": "write", "PATCH": "write", "DELETE": "delete",
          "POST": "action"}


def action_for(method, path):
    parsed = parse_resource_id(path)
    type_path = parsed.full_type if parsed else "Microsoft.Resources/subscriptions"
    return f"{type_path}/{_VERBS.get(method, 'read')}"


def authorization_failed(caller, action, scope):
    return ArmError(403, "AuthorizationFailed",
                    f"The client '{caller.app_id}' with object id '{caller.object_id}' does not "
                    f"have authorization to perform action '{action}' over scope '{scope}' or "
                    f"the scope is invalid. If access was recently granted, please refresh your "
                    f"credentials.")


def linked_authorization_failed(caller, action, scope, linked_subscription):
    return ArmError(403, "LinkedAuthorizationFailed",
                    f"The client has permission to perform action '{action}' on scope "
                    f"'{scope}', however the current tenant '{caller.tenant}' is not authorized "
                    f"to access linked subscription '{linked_subscription}'.")


def check_request(state, caller, method, path):
    """Raise the 403 a scenario's `access` rules call for on this request."""
    for rule in state.access_rules:
        methods = [m.upper() for m in rule.get("methods") or ["GET", "PUT", "PATCH", "DELETE",
                                                               "POST", "HEAD"]]
        if method not in methods or not re.search(rule["path"], path, re.IGNORECASE):
            continue
        action = rule.get("action") or action_for(method, path)
        if rule.get("code") == "LinkedAuthorizationFailed":
            linked = rule.get("linked_subscription") or (parse_resource_id(path).subscription
                                                         if parse_resource_id(path) else "")
            raise linked_authorization_failed(caller, action, path, linked)
        raise authorization_failed(caller, action, path)


def check_linked(state, caller, scope, linked_id, action):
    """A write that references a resource in a subscription of another tenant (or one a rule
    forbids reading) fails with LinkedAuthorizationFailed."""
    parsed = parse_resource_id(linked_id)
    if parsed is None:
        return
    tenant = state.tenant_of(parsed.subscription)
    denied = tenant is not None and tenant != caller.tenant and \
        tenant not in caller.auxiliary_tenants
    for rule in state.access_rules:
        if rule.get("linked") and re.search(rule["path"], linked_id, re.IGNORECASE):
            denied = True
    if denied:
        raise linked_authorization_failed(caller, action, scope, parsed.subscription)
