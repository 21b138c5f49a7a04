"""What the text around an error says about it: the names of the resource it was about and the kind
of that resource, as each tool states them.

* Terraform: ``creating Linux Virtual Machine "vm1" (Resource Group "rg")``, ``waiting for creation
  of Linux Virtual Machine: (Name "vm1" / Resource Group "rg")``, ``Shared Image "img" was not found
  in Gallery "gal" / Resource Group "rg"``, resource addresses (``azurerm_shared_image_version.x``);
* Pulumi: ``azure-native:compute:VirtualMachine (vm1):`` and URNs (``urn:pulumi:...::azure-native:
  compute:Gallery::gal1``);
* Az PowerShell: the cmdlet and its parameters on ``Line :`` / ``+ ...`` / ``NNN |`` / prompt lines;
* Ansible: ``Error creating or updating virtual machine vm1 -``, ``Error creating image img1 -`` and
  the module's arguments;
* az: the command line (``az vm create ... -g rg -n vm1``).

``read(text)`` returns ``(names, kinds)``: ``{placeholder: value}`` and the kinds of resource
(``matching.KINDS``). Only literal values are taken (a ``$variable`` is left out); a name stated
more than once takes its last statement (the one nearest to the error).
"""

import json
import re
import shlex
from functools import lru_cache

from azext_sig_doctor.explain import arguments, powershell

# Terraform's names of resource kinds (azurerm) -> (kind, placeholder of the name).
_TERRAFORM_KINDS = (
    ("linux virtual machine scale set", "vmss"), ("windows virtual machine scale set", "vmss"),
    ("orchestrated virtual machine scale set", "vmss"), ("virtual machine scale set", "vmss"),
    ("linux virtual machine", "vm"), ("windows virtual machine", "vm"), ("virtual machine", "vm"),
    ("shared image version", "version"), ("gallery image version", "version"), ("image version", "version"),
    ("shared image gallery", "gallery"), ("compute gallery", "gallery"), ("gallery application version", "application"),
    ("gallery application", "application"), ("shared image", "definition"), ("gallery image", "definition"),
    ("image definition", "definition"), ("managed disk", "disk"), ("snapshot", "snapshot"), ("gallery", "gallery"),
    ("image", "image"),
)
_NAME_OF_KIND = {"vm": "vm", "vmss": "vmss", "version": "version", "gallery": "gallery", "definition": "image",
                 "disk": "disk"}
_TF_KIND = "|".join(re.escape(kind) for kind, _ in _TERRAFORM_KINDS)
_TF_SUMMARY = re.compile(r"\b(?:creating|updating|deleting|retrieving|reading|waiting for creation of|waiting for "
                         r"update of|creating/updating|checking for presence of existing)\s+(?P<kind>" + _TF_KIND +
                         r')\b:?\s*(?:\(Name\s+"(?P<name>[^"]+)"|"(?P<quoted>[^"]+)")?', re.IGNORECASE)
_TF_NOT_FOUND = re.compile(r'\bShared Image "(?P<image>[^"]+)" was not found in Gallery "(?P<gallery>[^"]+)"'
                           r'(?:\s*/\s*Resource Group "(?P<resource_group>[^"]+)")?')
_TF_ADDRESS = re.compile(r"\bazurerm_(?P<type>linux_virtual_machine_scale_set|windows_virtual_machine_scale_set|"
                         r"orchestrated_virtual_machine_scale_set|virtual_machine_scale_set|linux_virtual_machine|"
                         r"windows_virtual_machine|virtual_machine|shared_image_version|shared_image_gallery|"
                         r"shared_image|gallery_application_version|gallery_application|image|managed_disk|"
                         r"snapshot)\b")
_TF_TYPES = {"linux_virtual_machine_scale_set": "vmss", "windows_virtual_machine_scale_set": "vmss",
             "orchestrated_virtual_machine_scale_set": "vmss", "virtual_machine_scale_set": "vmss",
             "linux_virtual_machine": "vm", "windows_virtual_machine": "vm", "virtual_machine": "vm",
             "shared_image_version": "version", "shared_image_gallery": "gallery", "shared_image": "definition",
             "gallery_application_version": "application", "gallery_application": "application",
             "image": "image", "managed_disk": "disk", "snapshot": "snapshot"}
_TF_GROUP = re.compile(r'\bResource Group(?: Name)?:?\s+"(?P<resource_group>[^"]+)"')

# Pulumi's azure-native resource types -> kinds.
_PULUMI_TYPES = {"virtualmachine": "vm", "virtualmachinescaleset": "vmss", "gallery": "gallery",
                 "galleryimage": "definition", "galleryimageversion": "version", "image": "image", "disk": "disk",
                 "snapshot": "snapshot", "galleryapplication": "application",
                 "galleryapplicationversion": "application", "virtualmachineimagetemplate": "image-template"}
_PULUMI = re.compile(r"\bazure-native:[a-z]+(?:/v\w+)?:(?P<type>[A-Za-z]+)(?:::(?P<urn_name>[\w.-]+)|\s+\((?P<name>"
                     r"[\w.-]+)\)|\s+(?P<bare>[\w.-]+)\s+(?:creating|updating|deleting|replacing))")

# Az PowerShell cmdlets (Az and AzureRM) -> kinds; -Name names what the cmdlet is about.
_CMDLET = re.compile(r"\b(?P<verb>New|Update|Set|Remove|Get|Save|Start|Stop)-Az(?:ureRm|ure)?(?P<noun>"
                     r"GalleryImageVersion|GalleryImageDefinition|GalleryApplicationVersion|GalleryApplication|"
                     r"Gallery|VMImage|VmssConfig|Vmss|VMConfig|VM|Image|DiskConfig|Disk|Snapshot|"
                     r"ImageBuilderTemplate)\b(?P<arguments>[^\n]*)", re.IGNORECASE)
_CMDLET_KINDS = {"galleryimageversion": "version", "galleryimagedefinition": "definition", "gallery": "gallery",
                 "galleryapplicationversion": "application", "galleryapplication": "application",
                 "vm": "vm", "vmconfig": "vm", "vmss": "vmss", "vmssconfig": "vmss", "image": "image",
                 "vmimage": "image", "disk": "disk", "diskconfig": "disk", "snapshot": "snapshot",
                 "imagebuildertemplate": "image-template"}
_PARAMETERS = {"resourcegroupname": "resource_group", "galleryname": "gallery", "galleryimagedefinitionname": "image",
               "vmname": "vm", "vmscalesetname": "vmss", "diskname": "disk", "location": "region",
               "gallerydefinitionname": "image", "galleryimageversionname": "version"}
_NAME_PARAMETER = {"gallery": "gallery", "definition": "image", "version": "version", "vm": "vm", "vmss": "vmss",
                   "disk": "disk"}

# Ansible's azure_rm_* modules.
_ANSIBLE = re.compile(r"\bError (?:creating|updating|creating or updating|deleting) (?P<what>virtual machine scale set|"
                      r"virtual machine|image|gallery image version|gallery image|gallery) (?P<name>[^\s'\"]+) -")
_ANSIBLE_KINDS = {"virtual machine": "vm", "virtual machine scale set": "vmss", "image": "image",
                  "gallery image version": "version", "gallery image": "definition", "gallery": "gallery"}
_ANSIBLE_ARGUMENTS = re.compile(r"Ansible module arguments: (?P<json>\{.*\})")

# az command lines pasted with the error.
_AZ = re.compile(r"\baz (?P<group>vm|vmss|sig image-version|sig image-definition|sig gallery-application|sig|image|"
                 r"disk|snapshot)\s+(?P<verb>create|update|delete|show|capture|generalize|start|list)\b")
_AZ_KINDS = {"vm": "vm", "vmss": "vmss", "sig image-version": "version", "sig image-definition": "definition",
             "sig": "gallery", "sig gallery-application": "application", "image": "image", "disk": "disk",
             "snapshot": "snapshot", "image builder": "image-template"}


def command_kind(words):
    """The kind of resource an az command line (its words, without ``az``) acts on, or None."""
    for length in (2, 1):
        kind = _AZ_KINDS.get(" ".join(words[:length]))
        if kind:
            return kind
    return None


def _terraform(text, names, kinds):
    for found in _TF_SUMMARY.finditer(text):
        kind = next(kind for label, kind in _TERRAFORM_KINDS if label == found.group("kind").lower())
        kinds.add(kind)
        name = found.group("name") or found.group("quoted")
        if name and kind in _NAME_OF_KIND:
            names[_NAME_OF_KIND[kind]] = name
    for found in _TF_NOT_FOUND.finditer(text):
        kinds.add("definition")
        names.update((key, value) for key, value in found.groupdict().items() if value)
    for found in _TF_ADDRESS.finditer(text):
        kinds.add(_TF_TYPES[found.group("type")])
    if names and "resource_group" not in names:
        group = _last(_TF_GROUP.finditer(text))
        if group:
            names["resource_group"] = group.group("resource_group")



def _last(matches):
    """The last of an iterator's matches, or None."""
    found = None
    for found in matches:  # noqa: B007 (the loop keeps the last one)
        pass
    return found


def _pulumi(text, names, kinds):
    for found in _PULUMI.finditer(text):
        kind = _PULUMI_TYPES.get(found.group("type").lower())
        if not kind:
            continue
        kinds.add(kind)
        name = found.group("urn_name") or found.group("name") or found.group("bare")
        if name and kind in _NAME_OF_KIND:
            names[_NAME_OF_KIND[kind]] = name


def _powershell(text, names, kinds):
    for found in _CMDLET.finditer(text):
        kind = _CMDLET_KINDS[found.group("noun").lower()]
        kinds.add(kind)
        tokens = powershell.tokens(found.group("arguments"))
        position = 0
        while position < len(tokens) - 1:
            token = tokens[position]
            position += 1
            if not re.match(r"^-[A-Za-z]+$", token):
                continue
            parameter = token[1:].lower()
            name = _PARAMETERS.get(parameter) or (_NAME_PARAMETER.get(kind) if parameter == "name" else None)
            value = powershell.literal(tokens[position]) if not tokens[position].startswith("-") else None
            if name and value:
                names[name] = value
                position += 1


def _ansible(text, names, kinds):
    for found in _ANSIBLE.finditer(text):
        kind = _ANSIBLE_KINDS[found.group("what")]
        kinds.add(kind)
        names[_NAME_OF_KIND.get(kind, "name")] = found.group("name")
    for found in _ANSIBLE_ARGUMENTS.finditer(text):
        try:
            arguments = json.loads(found.group("json"))
        except ValueError:
            continue
        if isinstance(arguments.get("resource_group"), str):
            names.setdefault("resource_group", arguments["resource_group"])
        if isinstance(arguments.get("location"), str):
            names.setdefault("region", arguments["location"])


def _az(text, names, kinds):
    for found in _AZ.finditer(text):
        kinds.add(_AZ_KINDS[found.group("group")])
        try:
            words = shlex.split(text[found.end():].split("\n", 1)[0])
        except ValueError:
            continue
        # The options az's own log would give (explain.arguments reads the same table).
        values = arguments.option_values(words)
        values.pop("source_option", None)
        for key, value in values.items():
            names.setdefault(key, value)


# Image Builder's own lines around an error (its customization.log, its DevOps task, its ids), in
# lower case: plain substring tests on the lowered text cost a fraction of a case-blind regex, and
# they run for every error of a log dense with failures.
_IMAGE_BUILDER_WORDS = ("packer out", "packer err", "customization.log", "azvmimagebuilder",
                        "microsoft.virtualmachineimages", "imagetemplates/")
_IMAGE_BUILDER_NAME = re.compile(r"\bimage ?builder\b")


# A gallery image id or path anywhere around the error (a pasted command line, a tool's summary).
_GALLERY_IMAGE_WORDS = ("/providers/microsoft.compute/galleries/", "/communitygalleries/", "/sharedgalleries/")


_TERRAFORM_WORDS = ("creating", "updating", "deleting", "retrieving", "reading", "waiting for", "checking for",
                    "Shared Image", "azurerm_")

_PLACEHOLDER = re.compile(r"^<[\w.-]+>$")


def read(text):
    """``(names, kinds)`` stated around an error in ``text`` (see the module's docstring); the
    caller gets its own copies (a log dense with failures repeats the same text thousands of times)."""
    # Long texts (a line can be megabytes) are read without being kept: memory stays bounded.
    names, kinds = _read(text) if len(text) <= _CACHED_TEXT else _read.__wrapped__(text)
    return dict(names), set(kinds)


_CACHED_TEXT = 16 * 1024


@lru_cache(maxsize=256)
def _read(text):
    names, kinds = {}, set()
    # any(map(str.__contains__ ...)): the same tests without a Python frame per word.
    if '"' in text and any(map(text.__contains__, _TERRAFORM_WORDS)):
        _terraform(text, names, kinds)
    if "azure-native:" in text:
        _pulumi(text, names, kinds)
    if "-Az" in text or "-az" in text:
        _powershell(text, names, kinds)
    if "Error " in text or "Ansible" in text:
        _ansible(text, names, kinds)
    if "az " in text:
        _az(text, names, kinds)
    lowered = text.lower()
    if any(map(lowered.__contains__, _IMAGE_BUILDER_WORDS)) or ("builder" in lowered
                                                               and _IMAGE_BUILDER_NAME.search(lowered)):
        kinds.add("image-template")
    if any(map(lowered.__contains__, _GALLERY_IMAGE_WORDS)):
        kinds.add("gallery")
    # A "<placeholder>" is no name (sig-doctor's own next steps, pasted back, print them).
    return {key: value for key, value in names.items() if not _PLACEHOLDER.match(value)}, kinds
