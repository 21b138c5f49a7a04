"""Generate an estate scenario of any size for the emulator (kept out of the repository as a file).

    .venv/bin/python tests/scenarios/estate/generate.py --versions 10000 --out /tmp/estate.yaml
    from tests.scenarios.estate.generate import estate; emulator.load(estate(versions=10000))

The issue's estate by default: 200 subscriptions, 50 galleries, 1,000 image definitions,
10,000 versions, 2,000 scale sets. Deterministic for a seed. A small share of versions carries
each problem the scan looks for (``PROBLEMS``), the rest is healthy; ``expected(...)`` says how
many versions need their replication read (the scan's request budget depends on it).
"""

import argparse
import random

HOME_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"   # tests/emulator/defaults.py
DEFAULT_SUBSCRIPTIONS = ["00000000-0000-0000-0000-00000000000{}".format(n) for n in (1, 2, 3)]
REGIONS = ["eastus", "eastus2", "westus", "westus2", "westcentralus", "northeurope", "westeurope", "southeastasia"]
DISPLAY = {"eastus": "East US", "eastus2": "East US 2", "westus": "West US", "westus2": "West US 2",
           "westcentralus": "West Central US", "northeurope": "North Europe", "westeurope": "West Europe",
           "southeastasia": "Southeast Asia"}

# Share of versions with each problem (the rest are Succeeded, replicated, in latest).
PROBLEMS = {"failed": 0.01, "replicating": 0.01, "excluded": 0.01, "end_of_life": 0.01, "zrs_mix": 0.01,
            "block_deletion": 0.005}
COMPUTE = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/"


def subscription_ids(count):
    """``count`` subscriptions of the home tenant, the emulator's default ones first."""
    extra = ["5e000000-0000-4000-8000-{:012d}".format(n) for n in range(max(0, count - len(DEFAULT_SUBSCRIPTIONS)))]
    return (DEFAULT_SUBSCRIPTIONS + extra)[:max(count, len(DEFAULT_SUBSCRIPTIONS))]


def estate(subscriptions=200, galleries=50, definitions=1000, versions=10000, scale_sets=2000, seed=7,
           latency_ms=0):
    """The scenario as a dict (``emulator.load`` takes it as is)."""
    rng = random.Random(seed)
    subs = subscription_ids(subscriptions)
    resources, groups = [], {}
    gallery_ids = []
    for number in range(galleries):
        sub = subs[number * len(subs) // galleries]
        group = "rg-images-{}".format(number)
        groups[(sub, group)] = "eastus"
        gallery_ids.append((COMPUTE + "galleries/gallery{}").format(sub, group, number))
        resources.append({"id": gallery_ids[-1], "location": "eastus"})
    definition_ids = []
    for number in range(definitions):
        definition = "{}/images/image{}".format(gallery_ids[number % galleries], number)
        regions = rng.sample(REGIONS, 3)
        generation, security = ("V1", None) if number % 10 == 0 else ("V2", "TrustedLaunchSupported")
        properties = {"identifier": {"publisher": "contoso", "offer": "o{}".format(number), "sku": "s"},
                      "osType": "Linux", "osState": "Generalized", "hyperVGeneration": generation}
        if security:
            properties["features"] = [{"name": "SecurityType", "value": security}]
        resources.append({"id": definition, "location": "eastus", "properties": properties})
        definition_ids.append((definition, regions))
    per_definition = max(1, versions // max(1, definitions))
    made = 0
    for index, (definition, regions) in enumerate(definition_ids):
        count = per_definition + (1 if index < versions - per_definition * definitions else 0)
        for minor in range(count):
            if made >= versions:
                break
            made += 1
            resources.append(_version(rng, definition, regions, minor))
    for number in range(scale_sets):
        definition, regions = definition_ids[rng.randrange(len(definition_ids))]
        sub = subs[rng.randrange(len(subs))]
        group = "rg-apps-{}".format(number % 20)
        groups[(sub, group)] = "eastus"
        region = regions[0] if rng.random() < 0.97 else rng.choice(REGIONS)
        image = definition if rng.random() < 0.7 else "{}/versions/1.{}.0".format(definition, rng.randrange(
            per_definition))
        resources.append({"id": (COMPUTE + "virtualMachineScaleSets/vmss{}").format(sub, group, number),
                          "location": region, "sku": {"name": "Standard_D2s_v5", "capacity": rng.randrange(1, 80)},
                          "properties": {"virtualMachineProfile": {"storageProfile": {"imageReference": {
                              "id": image}}}}})
    return {
        "name": "estate-{}v".format(versions),
        "subscriptions": [{"id": sub, "name": "estate {}".format(n), "tenant": HOME_TENANT}
                          for n, sub in enumerate(subs)] + [
            {"id": "00000000-0000-0000-0000-0000000000ff", "name": "Fabrikam Images",
             "tenant": "d1a3e6b0-3c43-4c1e-9b6a-5d2b8f0e7a10"}],
        "latency_ms": latency_ms,
        "resource_groups": [{"name": group, "location": location, "subscription": sub}
                            for (sub, group), location in groups.items()],
        "resources": resources,
    }


def _version(rng, definition, regions, minor):
    roll = rng.random()
    edges, problem, start = {}, None, 0.0
    for name, share in PROBLEMS.items():
        edges[name] = (start, start + share)
        start += share
    for name, (low, high) in edges.items():
        if low <= roll < high:
            problem = name
    targets = [{"name": DISPLAY[region], "regionalReplicaCount": rng.randrange(1, 4),
                "storageAccountType": "Standard_LRS"} for region in regions]
    profile = {"targetRegions": targets, "replicaCount": 1, "storageAccountType": "Standard_LRS",
               "publishedDate": "2024-{:02d}-01T00:00:00Z".format(1 + minor % 12),
               "endOfLifeDate": "2099-01-01T00:00:00Z"}
    properties = {"publishingProfile": profile, "storageProfile": {
        "source": {"id": "/subscriptions/x/resourceGroups/build/providers/Microsoft.Compute/images/img"},
        "osDiskImage": {"sizeInGB": 30, "hostCaching": "ReadWrite"}}}
    version = {"id": "{}/versions/1.{}.0".format(definition, minor), "location": regions[0],
               "properties": properties}
    if problem == "failed":
        properties["provisioningState"] = "Failed"
        version["x-emulator"] = {"replication": {regions[-1]: {"state": "Failed", "progress": 50,
                                                               "details": "Replication job not completed."}}}
    elif problem == "replicating":
        properties["provisioningState"] = "Updating"
        version["x-emulator"] = {"replication": {regions[-1]: {"state": "Replicating", "progress": 30}}}
    elif problem == "excluded":
        profile["excludeFromLatest"] = True
    elif problem == "end_of_life":
        profile["endOfLifeDate"] = "2020-01-01T00:00:00Z"
    elif problem == "zrs_mix":
        targets[-1]["storageAccountType"] = "Standard_ZRS"
    elif problem == "block_deletion":
        properties["safetyProfile"] = {"blockDeletionBeforeEndOfLife": True}
        profile.pop("endOfLifeDate")
    return version


def needs_replication_read(scenario):
    """How many versions of a generated scenario are not Succeeded (the scan reads each of those)."""
    return sum(1 for resource in scenario["resources"] if "/versions/" in resource["id"]
               and resource.get("properties", {}).get("provisioningState", "Succeeded") != "Succeeded")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("subscriptions", 200), ("galleries", 50), ("definitions", 1000), ("versions", 10000),
                          ("scale-sets", 2000), ("seed", 7), ("latency-ms", 0)):
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--out", required=True, help="YAML file to write")
    options = parser.parse_args()
    import yaml
    scenario = estate(options.subscriptions, options.galleries, options.definitions, options.versions,
                      options.scale_sets, options.seed, options.latency_ms)
    with open(options.out, "w", encoding="utf-8") as handle:
        yaml.safe_dump(scenario, handle, sort_keys=False)
    print("wrote {} resources to {}".format(len(scenario["resources"]), options.out))


if __name__ == "__main__":
    main()
