#!/usr/bin/env python
"""Packaging for the sig-doctor Azure CLI extension."""

from setuptools import find_packages, setup

VERSION = "0.2.0"

CLASSIFIERS = [
    "Development Status :: 3 - Alpha",
    "Intended Audience :: Developers",
    "Intended Audience :: System Administrators",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.9",
    "Programming Language :: Python :: 3.10",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
]

# azure-cli already ships azure-mgmt-compute, knack and PyYAML: the extension runs inside the
# CLI's process and uses them from there. python-hcl2 is the one thing it does not ship: check-build
# reads Packer's HCL2 templates with it (a real parser, with lark's line and column for errors);
# pinned because its API changed between major versions (8.x keeps positions on its rule tree).
DEPENDENCIES = ["python-hcl2==8.1.4"]

with open("README.md", "r", encoding="utf-8") as f:
    README = f.read()
with open("HISTORY.rst", "r", encoding="utf-8") as f:
    HISTORY = f.read()

setup(
    name="sig-doctor",
    version=VERSION,
    description="Explains and prevents Azure Compute Gallery (Shared Image Gallery) failures.",
    long_description=README + "\n\n" + HISTORY,
    long_description_content_type="text/markdown",
    license="MIT",
    author="sig-doctor maintainers",
    url="https://github.com/sig-doctor/sig-doctor",
    classifiers=CLASSIFIERS,
    packages=find_packages(include=["azext_sig_doctor", "azext_sig_doctor.*"]),
    install_requires=DEPENDENCIES,
    # kb/i18n/<language>/*.yaml: the texts in each language, read by azext_sig_doctor.i18n.catalog.
    package_data={"azext_sig_doctor": ["azext_metadata.json"],
                  "azext_sig_doctor.kb": ["*.yaml", "schema.json", "i18n/*/*.yaml", "recognition/*.yaml"]},
    include_package_data=True,
)
