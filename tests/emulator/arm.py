"""Dispatch of authenticated ARM requests (subscriptions, resource groups, provider, Compute
resources and operations) to their handlers."""

from . import catalog, resourcegraph, resources, shared_images
from .errors import ArmError
from .http import json_response
from .paging import page


def handle(kind, params, ctx, method, path, query, body):
    state = ctx.state
    state.purge_deleted()
    if kind == "resource_graph":
        return resourcegraph.handle(ctx, method, query, body)
    if kind == "tenants":
        return catalog.tenants(state)
    if kind == "subscriptions":
        return catalog.subscriptions(state, ctx.caller)
    if kind == "subscription":
        return catalog.subscription(state, ctx.caller, params["sub"])
    if kind == "locations":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return catalog.locations(state, params["sub"])
    if kind == "resource_groups":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return json_response(page(catalog.resource_groups(state, params["sub"]), query,
                                  ctx.base_url, path, state.page_size))
    if kind == "resource_group":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return catalog.resource_group(state, method, params["sub"], params["rg"], body)
    if kind == "provider":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return catalog.provider(state, params["sub"])
    if kind == "providers":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return json_response({"value": [catalog.provider(state, params["sub"]).body]})
    if kind in ("skus", "subscription_list"):
        return resources.list_subscription(ctx, params["sub"], params.get("type", "skus"),
                                           query, path)
    if kind == "shared_image":
        catalog.require_subscription(state, ctx.caller, params["sub"])
        return shared_images.handle(state, params, method)
    if kind == "operation":
        return resources.operation(ctx, params["op"], query)
    if kind == "instance_view":
        return resources.get_instance_view(ctx, params["id"])
    if kind == "collection":
        return resources.list_collection(ctx, params["id"], query, path)
    if kind == "resource":
        rid = params["id"]
        if method in ("GET", "HEAD"):
            return resources.get(ctx, rid, query)
        if method in ("PUT", "PATCH"):
            return resources.write(ctx, rid, body, method)
        if method == "DELETE":
            return resources.delete(ctx, rid)
    raise ArmError(405, "MethodNotAllowed", f"The method '{method}' is not supported here.")
