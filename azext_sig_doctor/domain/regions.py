"""Azure region names: one normaliser, display names both ways.

The service compares region names case- and space-insensitively ("East US 2" == "eastus2"), and
every public region's short name is its display name without spaces, in lower case. ``key`` is
that comparison form; ``display_name`` goes the other way for the regions this table knows.
"""

import re

# Short name -> display name (public cloud). A region missing here still normalises (``key``);
# only ``display_name`` falls back to the short name.
DISPLAY_NAMES = {
    "eastus": "East US", "eastus2": "East US 2", "westus": "West US", "westus2": "West US 2",
    "westus3": "West US 3", "centralus": "Central US", "northcentralus": "North Central US",
    "southcentralus": "South Central US", "westcentralus": "West Central US",
    "canadacentral": "Canada Central", "canadaeast": "Canada East", "brazilsouth": "Brazil South",
    "brazilsoutheast": "Brazil Southeast", "mexicocentral": "Mexico Central", "chilecentral": "Chile Central",
    "northeurope": "North Europe", "westeurope": "West Europe", "uksouth": "UK South", "ukwest": "UK West",
    "francecentral": "France Central", "francesouth": "France South",
    "germanywestcentral": "Germany West Central", "germanynorth": "Germany North",
    "switzerlandnorth": "Switzerland North", "switzerlandwest": "Switzerland West",
    "norwayeast": "Norway East", "norwaywest": "Norway West", "swedencentral": "Sweden Central",
    "swedensouth": "Sweden South", "polandcentral": "Poland Central", "italynorth": "Italy North",
    "spaincentral": "Spain Central", "austriaeast": "Austria East", "belgiumcentral": "Belgium Central",
    "denmarkeast": "Denmark East", "israelcentral": "Israel Central", "qatarcentral": "Qatar Central",
    "uaenorth": "UAE North", "uaecentral": "UAE Central", "southafricanorth": "South Africa North",
    "southafricawest": "South Africa West", "australiaeast": "Australia East",
    "australiasoutheast": "Australia Southeast", "australiacentral": "Australia Central",
    "australiacentral2": "Australia Central 2", "newzealandnorth": "New Zealand North",
    "eastasia": "East Asia", "southeastasia": "Southeast Asia", "japaneast": "Japan East",
    "japanwest": "Japan West", "koreacentral": "Korea Central", "koreasouth": "Korea South",
    "centralindia": "Central India", "southindia": "South India", "westindia": "West India",
    "jioindiawest": "Jio India West", "jioindiacentral": "Jio India Central",
    "indonesiacentral": "Indonesia Central", "malaysiawest": "Malaysia West",
    "eastus2euap": "East US 2 EUAP", "centraluseuap": "Central US EUAP",
}

_SPACES = re.compile(r"\s+")
# A region name as it appears in text: letters, digits and single spaces ("West US 2", "eastus2").
_REGION_TEXT = re.compile(r"^[A-Za-z][A-Za-z0-9 ]*$")


def key(name):
    """The comparison form of a region name: ``"West US 2"`` -> ``"westus2"``; None stays ''."""
    return _SPACES.sub("", name or "").lower()


def same(name1, name2):
    return key(name1) == key(name2)


def short_name(name):
    """The form every command line takes (``westus2``) for a short or display name; text that is
    no region name (a list, a placeholder) is returned unchanged."""
    if isinstance(name, str) and _REGION_TEXT.match(name.strip()):
        return key(name)
    return name


def display_name(name):
    """``westus2`` -> ``West US 2`` (unknown regions keep the name they were given)."""
    return DISPLAY_NAMES.get(key(name), name)


def is_known(name):
    return key(name) in DISPLAY_NAMES


def unique(names):
    """``names`` with each region once (the first spelling kept), in order."""
    seen = set()
    result = []
    for name in names:
        if key(name) not in seen:
            seen.add(key(name))
            result.append(name)
    return result
