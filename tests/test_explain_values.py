"""Values from everything around the message: Terraform's summaries, Pulumi's resource names,
Az PowerShell's command lines, Ansible's task lines, az command lines pasted with the error,
community and direct-shared gallery paths, display region names in their short form."""

from azext_sig_doctor.explain import explain_text, surroundings

PLAN = ("Code=\"VMMarketplaceInvalidInput\" Message=\"Creating a virtual machine from Marketplace image requires "
        "Plan information in the request. VM: '/subscriptions/x/resourceGroups/rg-app/providers/Microsoft.Compute/"
        "virtualMachines/{vm}'.\"")


def only(text):
    [finding] = explain_text(text).findings
    return finding


def test_terraform_summaries_name_the_resource_and_its_kind():
    names, kinds = surroundings.read('Error: waiting for creation of Linux Virtual Machine: (Name "web01" / '
                                     'Resource Group "rg-web"): ' + PLAN.format(vm="web01"))
    assert names == {"vm": "web01", "resource_group": "rg-web"} and kinds == {"vm"}
    names, kinds = surroundings.read('Error: creating Shared Image Version "1.0.0" (Image "ubuntu" / Gallery "gal" / '
                                     'Resource Group "rg"): ...')
    assert names["version"] == "1.0.0" and "version" in kinds
    names, _ = surroundings.read('data.azurerm_shared_image.x: Shared Image "img" was not found in Gallery "gal" / '
                                 'Resource Group "rg"')
    assert names == {"image": "img", "gallery": "gal", "resource_group": "rg"}


def test_a_vm_named_in_the_message_or_the_summary_fills_the_vm_value():
    finding = only('Error: creating Linux Virtual Machine "appvm" (Resource Group "rg-app"): ' +
                   PLAN.format(vm="appvm"))
    assert finding["id"] == "vm.plan-required" and finding["values"]["vm"] == "appvm"


def test_pulumi_resource_names():
    names, kinds = surroundings.read("azure-native:compute:Gallery (corpImages):\n    error: ...")
    assert names == {"gallery": "corpImages"} and kinds == {"gallery"}
    names, kinds = surroundings.read("urn:pulumi:dev::infra::azure-native:compute:VirtualMachine::web01")
    assert names == {"vm": "web01"} and kinds == {"vm"}


def test_powershell_command_lines_literal_values_only():
    names, kinds = surroundings.read("Line           : New-AzDisk -ResourceGroupName 'vmgroup' -DiskName 'Disk01' "
                                     "-Disk $diskconfig;")
    assert names == {"resource_group": "vmgroup", "disk": "Disk01"} and kinds == {"disk"}
    names, _ = surroundings.read("+ New-AzGalleryImageVersion -ResourceGroupName $rg -GalleryName gal1 -Name 1.0.0")
    assert names == {"gallery": "gal1", "version": "1.0.0"}


def test_ansible_task_lines():
    names, kinds = surroundings.read("Error creating or updating virtual machine myVM - (LinkedInvalidPropertyId) ...")
    assert names == {"vm": "myVM"} and kinds == {"vm"}


def test_az_command_lines_pasted_with_the_error():
    names, kinds = surroundings.read("$ az sig create -g rg-images --gallery-name my-gallery\nGallery name is invalid.")
    assert names == {"resource_group": "rg-images", "gallery": "my-gallery"} and kinds == {"gallery"}
    finding = only("az sig create -g rg-images --gallery-name my-gallery\nGallery name is invalid. Allowed characters "
                   "in gallery name are uppercase or lowercase letters, digits.")
    assert finding["id"] == "gallery.name-invalid" and finding["values"]["gallery"] == "my-gallery"


def test_the_next_command_of_a_pasted_session_names_nothing_of_the_error_before_it():
    scope = ("/subscriptions/3f2a1c5e-8d4b-4e6f-9a7c-1b2d3e4f5a6b/resourceGroups/rg-images/providers/"
             "Microsoft.Compute/galleries/corpGallery/images/ubuntu2204")
    refusal = ("The client 'deploy@contoso.com' with object id '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f' does not have "
               "authorization to perform action 'Microsoft.Compute/galleries/images/read' over scope '{}' or the "
               "scope is invalid. If access was recently granted, please refresh your credentials.".format(scope))
    for following in ("PS C:\\> New-AzVM -ResourceGroupName rg-vms -Name vm2 -Image " + scope,
                      "$ az vm create -g rg-vms -n vm2 --image " + scope,
                      "builder@ci-agent:~/images$ az vm create -g rg-vms -n vm2 --image " + scope):
        finding = only("PS C:\\> Get-AzGalleryImageDefinition -ResourceGroupName rg-images -GalleryName corpGallery "
                       "-Name ubuntu2204\nGet-AzGalleryImageDefinition: " + refusal +
                       "\nErrorCode: AuthorizationFailed\n" + following)
        # The read was the definition's own (not a VM's), in its own group.
        assert finding["id"] == "sharing.authorization-failed", following
        assert finding["resource"] == {"resource_group": "rg-images", "gallery": "corpGallery", "image": "ubuntu2204"}


def test_community_and_direct_shared_gallery_paths():
    finding = only("(GalleryImageNotFound) The gallery image /CommunityGalleries/contoso-1a2b/Images/ubuntu/Versions/"
                   "2.0.1 is not available in eastus2 region.")
    assert finding["id"] == "vm.version-not-in-region"
    assert {key: finding["values"][key] for key in ("gallery", "image", "version", "region")} == {
        "gallery": "contoso-1a2b", "image": "ubuntu", "version": "2.0.1", "region": "eastus2"}


def test_display_region_names_are_given_short():
    finding = only("(InvalidParameter) Only the home region 'West US 2' can be specified as a target region for "
                   "Images with the ConfidentialVM feature unless the Confidential VM encryption type is set to "
                   "'NonPersistedTPM'.")
    assert finding["values"]["region"] == "westus2"
    unknown_region = only("(InvalidParameter) Only the home region 'Mars North' can be specified as a target region "
                          "for Images with the ConfidentialVM feature unless the Confidential VM encryption type is "
                          "set to 'NonPersistedTPM'.")
    assert unknown_region["values"]["region"] == "Mars North"


def test_a_redacted_scope_still_gives_its_gallery():
    finding = only("(AuthorizationFailed) The client '' with object id '' does not have authorization to perform "
                   "action 'Microsoft.Compute/galleries/read' over scope '/subscriptions//resourceGroups/rg-a/"
                   "providers/Microsoft.Compute/galleries/gal_a' or the scope is invalid.")
    assert finding["id"] == "sharing.authorization-failed"
    assert (finding["values"]["gallery"], finding["values"]["resource_group"]) == ("gal_a", "rg-a")
