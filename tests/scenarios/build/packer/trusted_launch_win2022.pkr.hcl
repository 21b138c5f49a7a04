# Written for sig-doctor's tests the way hashicorp/packer-plugin-azure's
# example/windows_custom_image/winserver2022dcg2.pkr.hcl writes it, with its "UNCOMMENT THE BELOW
# TO ENABLE Trusted Launch" lines enabled, security_type set, values in place of its variables and
# a managed image output (which the plugin refuses with Trusted Launch: the case under test).
source "azure-arm" "trustedLaunch" {
  build_resource_group_name = "rg-images"
  communicator              = "winrm"

  image_offer     = "WindowsServer"
  image_publisher = "MicrosoftWindowsServer"
  image_sku       = "2022-datacenter-g2"

  os_type             = "Windows"
  security_type       = "TrustedLaunch"
  secure_boot_enabled = true
  vtpm_enabled        = true

  shared_image_gallery_destination {
    gallery_name   = "contoso_images"
    image_name     = "win2022-tl"
    image_version  = "1.0.0"
    resource_group = "rg-images"
    target_region {
      name = "westeurope"
    }
    target_region {
      name     = "northeurope"
      replicas = 2
    }
  }

  managed_image_name                = "win2022-tl"
  managed_image_resource_group_name = "rg-images"

  vm_size        = "Standard_D2s_v5"
  winrm_insecure = true
  winrm_timeout  = "7m"
  winrm_use_ssl  = true
  winrm_username = "packer"
}

build {
  sources = ["source.azure-arm.trustedLaunch"]
}
