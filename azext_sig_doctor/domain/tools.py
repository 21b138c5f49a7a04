"""Where a fix goes when the request came from a tool's template, not from a command line.

A failure printed by Packer, Terraform, Image Builder or a Bicep/ARM deployment is fixed in that
tool's file (check-build names the file and line):
the same edit a command line would get (``domain.fixes``), said as the setting to change. One
sentence per edit op and tool, filled with the finding's values; ``{where}`` names the resource
block and the file and line when the output shows them.
"""

SETTINGS = {
    "add_region": {
        "imagebuilder": "add {region} to distribute.targetRegions (or replicationRegions) of {where}",
        "packer": "add {region} to shared_image_gallery_destination.replication_regions (the build's own region "
                  "must be one of them)",
        "terraform": "add a target_region block with name = \"{region}\" to {where}",
        "bicep": "add {{ name: '{region}' }} to properties.publishingProfile.targetRegions of {where}",
    },
    "unique_regions": {
        "imagebuilder": "list each region once in the distribution's regions of {where}",
        "packer": "list each region once in shared_image_gallery_destination.replication_regions",
        "terraform": "keep one target_region block per region in {where} (merge the repeated ones)",
        "bicep": "list each region once in properties.publishingProfile.targetRegions of {where}",
    },
    "zrs_to_lrs": {
        "imagebuilder": "set storageAccountType to Standard_LRS for {regions} in {where}",
        "packer": "set shared_image_gallery_destination.storage_account_type to Standard_LRS (or give {regions} "
                  "their own Standard_LRS entry in target_region)",
        "terraform": "set storage_account_type = \"Standard_LRS\" in the target_region blocks of {regions} in {where}",
        "bicep": "set storageAccountType: 'Standard_LRS' for {regions} in {where}",
    },
    "clamp_replicas": {
        "imagebuilder": "keep replicaCount between 1 and 100 in the targetRegions of {where}",
        "packer": "keep shared_image_gallery_replica_count between 1 and 100",
        "terraform": "keep regional_replica_count between 1 and 100 in {where}",
        "bicep": "keep regionalReplicaCount and replicaCount between 1 and 100 in {where}",
    },
    "set_location": {
        "packer": "build in the region of the source (the builder's location), or publish from a source in "
                  "{region}",
        "terraform": "set location = \"{region}\" in {where}",
        "bicep": "set location: '{region}' on {where}",
    },
    "shallow_replication": {
        "packer": "set shared_image_gallery_destination.use_shallow_replication = true",
        "terraform": "set replication_mode = \"Shallow\" in {where}",
        "bicep": "set properties.publishingProfile.replicationMode: 'Shallow' in {where}",
    },
    "encrypt_everywhere": {
        "terraform": "give every target_region block of {where} a disk_encryption_set_id of its own region",
        "bicep": "give every entry of targetRegions in {where} an encryption of its own region",
    },
    "cvm_encryption": {
        "packer": "set shared_image_gallery_destination.confidential_vm_image_encrypted_with_customer_managed_key "
                  "or the security type the definition expects",
        "terraform": "set confidential_vm_supported or the target_region's encryption for {where}",
    },
    "restore_regions": {
        "terraform": "keep every target_region the version is already replicated to in {where} (removing one needs "
                     "deletion_of_replicated_locations_enabled = true)",
        "bicep": "keep every replicated region in targetRegions of {where}",
    },
    "matching_definition": {
        "imagebuilder": "point distribute.galleryImageId of {where} at a definition that fits the source",
        "packer": "publish into a definition that fits the build (shared_image_gallery_destination.image_name): its "
                  "OS type and state, Hyper-V generation, architecture and security type must be the build's",
        "terraform": "set image_name of {where} to a definition that fits the source",
    },
    "version_name": {
        "packer": "set shared_image_gallery_destination.image_version to MAJOR.MINOR.PATCH",
        "terraform": "set name = \"MAJOR.MINOR.PATCH\" in {where}",
    },
    "security_feature": {
        "terraform": "set hyper_v_generation = \"V2\" (or trusted_launch_supported / confidential_vm_supported "
                     "as meant) in {where}",
    },
    "keep_features": {
        "terraform": "give {where} exactly the features the existing definition has (they cannot change; a change "
                     "means a new definition)",
    },
    "keep_immutable": {
        "terraform": "give {where} the existing definition's OS type, OS state, generation, architecture and "
                     "identifier (a change is a replace: a new definition name)",
    },
    "security_type": {
        "terraform": "set the VM's security type (secure_boot_enabled / vtpm_enabled for Trusted Launch) in {where}",
        "packer": "set security_type in the builder to what the image requires",
    },
    "specialized": {
        "terraform": "leave out (or give) admin_username / os_profile in {where} as the image is generalized "
                     "(or specialized)",
    },
}

TOOLS = ("packer", "terraform", "bicep", "imagebuilder")


def setting(op, tool, values, where=None):
    """The sentence that says which setting of ``tool`` to change for edit ``op``, or None."""
    from azext_sig_doctor.knowledge import fill
    text = SETTINGS.get(op, {}).get(tool)
    if text is None:
        return None
    return fill(text, dict(values, where=where or "the resource"))
