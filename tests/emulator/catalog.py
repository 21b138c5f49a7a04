"""Subscription-level reads: tenants, subscriptions, locations, resource groups, the
Microsoft.Compute provider and resource SKUs."""

import re

from .errors import ArmError
from .http import json_response


def tenants(state):
    return json_response({"value": [
        {"id": f"/tenants/{t['id']}", "tenantId": t["id"], "displayName": t.get("name", ""),
         "tenantCategory": "Home", "defaultDomain": t.get("domain", f"{t['id'][:8]}.example"),
         "tenantType": "AAD"} for t in state.tenants]})


def subscription_body(sub):
    return {"id": f"/subscriptions/{sub['id']}", "subscriptionId": sub["id"],
            "tenantId": sub["tenant"], "displayName": sub.get("name", sub["id"]),
            "state": sub.get("state", "Enabled"),
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                     "quotaId": "PayAsYouGo_2014-09-01",
                                     "spendingLimit": "Off"},
            "authorizationSource": "RoleBased"}


def subscriptions(state, caller):
    """Only the subscriptions of the caller's tenant, as ARM does for a tenant's token."""
    return json_response({"value": [subscription_body(s) for s in state.subscriptions
                                    if s["tenant"] == caller.tenant]})


def require_subscription(state, caller, subscription_id):
    sub = state.subscription(subscription_id)
    if sub is None:
        raise ArmError(404, "SubscriptionNotFound",
                       f"The subscription '{subscription_id}' could not be found.")
    if sub["tenant"] != caller.tenant:
        raise ArmError(401, "InvalidAuthenticationTokenTenant",
                       f"The access token is from the wrong issuer "
                       f"'https://sts.windows.net/{caller.tenant}/'. It must match the tenant "
                       f"'https://sts.windows.net/{sub['tenant']}/' associated with this "
                       f"subscription. Please use the authority (URL) "
                       f"'https://login.windows.net/{sub['tenant']}' to get the token.")
    return sub


def subscription(state, caller, subscription_id):
    return json_response(subscription_body(require_subscription(state, caller, subscription_id)))


def locations(state, subscription_id):
    return json_response({"value": [
        {"id": f"/subscriptions/{subscription_id}/locations/{name}", "name": name,
         "displayName": display, "regionalDisplayName": f"(US) {display}",
         "type": "Region", "metadata": {"regionType": "Physical", "regionCategory": "Recommended"}}
        for name, display in state.locations.items()]})


def resource_group_body(group):
    return {"id": f"/subscriptions/{group['subscription']}/resourceGroups/{group['name']}",
            "name": group["name"], "type": "Microsoft.Resources/resourceGroups",
            "location": group["location"], "tags": group.get("tags") or {},
            "properties": {"provisioningState": "Succeeded"}}


def resource_group_not_found(name):
    return ArmError(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")


def resource_group(state, method, subscription_id, name, body):
    group = state.resource_group(subscription_id, name)
    if method == "PUT":
        created = group is None
        state.add_resource_group(subscription_id, group["name"] if group else name,
                                 (body or {}).get("location") or (group or {}).get("location"),
                                 (body or {}).get("tags"))
        return json_response(resource_group_body(state.resource_group(subscription_id, name)),
                             201 if created else 200)
    if group is None:
        raise resource_group_not_found(name)
    if method in ("GET", "HEAD"):
        return json_response(resource_group_body(group)) if method == "GET" else \
            json_response(None, 204)
    raise ArmError(405, "MethodNotAllowed", f"The method '{method}' is not supported here.")


def resource_groups(state, subscription_id):
    return [resource_group_body(g) for g in state.resource_groups.values()
            if g["subscription"].lower() == subscription_id.lower()]


_COMPUTE_TYPES = ["galleries", "galleries/images", "galleries/images/versions",
                  "virtualMachines", "images", "snapshots", "disks", "diskEncryptionSets",
                  "locations", "operations", "skus"]


def provider(state, subscription_id):
    all_regions = [state.locations[name] for name in state.locations]
    gallery_regions = [state.display_name(name) for name in state.gallery_locations]
    resource_types = []
    for type_name in _COMPUTE_TYPES:
        regions = gallery_regions if type_name.startswith("galleries") else all_regions
        resource_types.append({
            "resourceType": type_name, "locations": regions,
            "apiVersions": ["2024-03-03", "2023-07-03", "2022-03-03", "2021-10-01"]
            if type_name.startswith("galleries") else ["2024-11-01", "2024-07-01", "2023-09-01"],
            "capabilities": "None"})
    registered = subscription_id.lower() not in state.unregistered_subscriptions
    return json_response({"id": f"/subscriptions/{subscription_id}/providers/Microsoft.Compute",
                          "namespace": "Microsoft.Compute",
                          "registrationState": "Registered" if registered else "NotRegistered",
                          "registrationPolicy": "RegistrationRequired",
                          "resourceTypes": resource_types})


def require_registration(state, subscription_id):
    """Writes to Microsoft.Compute need the provider registered in the subscription."""
    if subscription_id.lower() in state.unregistered_subscriptions:
        raise ArmError(409, "MissingSubscriptionRegistration",
                       "The subscription is not registered to use namespace 'Microsoft.Compute'. "
                       "See https://aka.ms/rps-not-found for how to register subscriptions.",
                       details=[{"code": "MissingSubscriptionRegistration",
                                 "target": "Microsoft.Compute",
                                 "message": "The subscription is not registered to use namespace "
                                            "'Microsoft.Compute'. See https://aka.ms/rps-not-found "
                                            "for how to register subscriptions."}])


# VM sizes with the capabilities the service lists for them (the real values of these sizes):
# generations they boot, CPU architecture, Trusted Launch, Confidential VM.
VM_SIZES = [
    ("Standard_D2s_v5", "standardDSv5Family", [("HyperVGenerations", "V1,V2"), ("CpuArchitectureType", "x64"),
                                                ("TrustedLaunchDisabled", "False")]),
    ("Standard_A2_v2", "standardAv2Family", [("HyperVGenerations", "V1"), ("CpuArchitectureType", "x64")]),
    ("Standard_D2ps_v5", "standardDPSv5Family", [("HyperVGenerations", "V2"), ("CpuArchitectureType", "Arm64")]),
    ("Standard_B1ls", "standardBSFamily", [("HyperVGenerations", "V1,V2"), ("CpuArchitectureType", "x64"),
                                           ("TrustedLaunchDisabled", "True")]),
    ("Standard_DC2as_v5", "standardDCASv5Family", [("HyperVGenerations", "V2"), ("CpuArchitectureType", "x64"),
                                                   ("ConfidentialComputingType", "SNP")]),
]


def skus(state, odata_filter=""):
    """Enough resource SKUs to tell, per region, whether zones (hence ZRS) exist. Honours the
    only filter ARM supports here: `location eq 'x'`."""
    match = re.search(r"location\s+eq\s+'([^']+)'", odata_filter or "", re.IGNORECASE)
    wanted = state.location_name(match.group(1)) if match else None
    items = []
    for name in state.locations:
        if match and name != wanted:
            continue
        zoned = name in state.zrs_locations
        items.append({
            "resourceType": "disks", "name": "Standard_ZRS" if zoned else "Standard_LRS",
            "tier": "Standard", "kind": None, "size": None, "family": None,
            "locations": [name],
            "locationInfo": [{"location": name, "zones": ["1", "2", "3"] if zoned else [],
                              "zoneDetails": []}],
            "capabilities": [{"name": "MaxSizeGiB", "value": "32767"}],
            "restrictions": []})
        for size, family, capabilities in VM_SIZES:
            items.append({
                "resourceType": "virtualMachines", "name": size, "tier": "Standard",
                "size": size.split("_", 1)[1], "family": family, "locations": [name],
                "locationInfo": [{"location": name, "zones": ["1", "2", "3"] if zoned else [],
                                  "zoneDetails": []}],
                "capabilities": [{"name": key, "value": value} for key, value in capabilities],
                "restrictions": []})
    return items
