"""Identities and regions a scenario gets when it does not name its own."""

HOME_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT = "d1a3e6b0-3c43-4c1e-9b6a-5d2b8f0e7a10"

SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"
SECOND_SUBSCRIPTION = "00000000-0000-0000-0000-000000000002"
THIRD_SUBSCRIPTION = "00000000-0000-0000-0000-000000000003"
FOREIGN_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000ff"  # lives in OTHER_TENANT

APP_ID = "11111111-2222-3333-4444-555555555555"
# Not a secret: a fixed password the emulator's token endpoint accepts, test-only.
APP_PASSWORD = "emulator-password"
APP_OBJECT_ID = "99999999-8888-7777-6666-555555555555"

TENANTS = [
    {"id": HOME_TENANT, "name": "Contoso"},
    {"id": OTHER_TENANT, "name": "Fabrikam"},
]

SUBSCRIPTIONS = [
    {"id": SUBSCRIPTION, "name": "Contoso Dev", "tenant": HOME_TENANT},
    {"id": SECOND_SUBSCRIPTION, "name": "Contoso Prod", "tenant": HOME_TENANT},
    {"id": THIRD_SUBSCRIPTION, "name": "Contoso Shared Images", "tenant": HOME_TENANT},
    {"id": FOREIGN_SUBSCRIPTION, "name": "Fabrikam Images", "tenant": OTHER_TENANT},
]

# name -> display name; order is what /locations lists.
LOCATIONS = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "westus": "West US",
    "westus2": "West US 2",
    "westcentralus": "West Central US",
    "northeurope": "North Europe",
    "westeurope": "West Europe",
    "southeastasia": "Southeast Asia",
    "australiacentral2": "Australia Central 2",
    "brazilsoutheast": "Brazil Southeast",
}

# Regions where Microsoft.Compute/galleries is offered (australiacentral2 and brazilsoutheast
# are left out so a scenario can show LocationNotAvailableForResourceType).
GALLERY_LOCATIONS = ["eastus", "eastus2", "westus", "westus2", "westcentralus", "northeurope",
                     "westeurope", "southeastasia"]

# Regions with availability zones, hence ZRS storage.
ZRS_LOCATIONS = ["eastus", "eastus2", "westus2", "northeurope", "westeurope", "southeastasia"]
