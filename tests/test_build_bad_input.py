"""check-build on input that is not a template: a clear error naming the file (and the line where
there is one), never a traceback; the real az, offline."""

import os

import pytest

ROOT = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(ROOT, "scenarios", "build")


def run(az, *args):
    result = az("sig", "doctor", "check-build", *args, "--offline", "-o", "json")
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    return result


@pytest.mark.parametrize("option,name,content,expected", [
    ("--packer", "garbage.pkr.hcl", "this is { not } HCL = = =\n", "line 1"),
    ("--packer", "broken.pkr.hcl", 'source "azure-arm" "x" {\n  location = "westeurope"\n  os_type =\n}\n', "line 3"),
    ("--packer", "binary.pkr.hcl", b"\x00\x01\x02\xff\xfe binary", "binary"),
    ("--packer", "latin1.pkr.hcl", "location = \"K\xf6ln\"\n".encode("latin-1"), "not UTF-8"),
    ("--packer", "broken.json", '{\n  "builders": [\n    {"type": "azure-arm",}\n  ]\n}', "line 3"),
    ("--packer", "notpacker.json", '{"hello": "world"}', "\"builders\" list"),
    ("--image-template", "empty.json", "", "line 1"),
    ("--image-template", "list.json", "[1, 2]", "not an Image Builder template"),
    ("--image-template", "other.json", '{"resources": [{"type": "Microsoft.Storage/storageAccounts"}]}', None),
    ("--terraform-plan", "old.json", '{"format_version": "0.2", "resource_changes": []}', "format_version 1.x"),
    ("--terraform-plan", "state.json", '{"format_version": "1.0", "values": {"root_module": {}}}',
     "no resource_changes"),
    ("--terraform-plan", "deep.json", "[" * 5000 + "]" * 5000, None),
])
def test_bad_files(az, tmp_path, option, name, content, expected):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = run(az, option, str(path))
    if expected is None:
        # Read, but nothing gallery-bound in it: said on stderr, exit 0 (or a clear error, never a crash).
        assert result.exit_code in (0, 1, 2)
        assert str(path) in result.stderr
        return
    assert result.exit_code != 0
    assert str(path) in result.stderr and expected in result.stderr, result.stderr


def test_a_directory_without_templates(az, tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here")
    result = run(az, "--packer", str(tmp_path))
    assert result.exit_code != 0 and "holds no Packer HCL2 template" in result.stderr


def test_a_missing_file(az, tmp_path):
    result = run(az, "--terraform-plan", str(tmp_path / "nowhere.json"))
    assert result.exit_code != 0 and "nowhere.json" in result.stderr


def test_exactly_one_input(az):
    both = run(az, "--packer", os.path.join(FIXTURES, "packer", "windows.json"), "--terraform-plan", "x.json")
    assert both.exit_code != 0 and "exactly one" in both.stderr
    none = run(az)
    assert none.exit_code != 0 and "exactly one" in none.stderr


def test_a_bad_var(az):
    result = run(az, "--packer", os.path.join(FIXTURES, "packer", "windows_sig.pkr.hcl"), "--var", "novalue")
    assert result.exit_code != 0 and "NAME=VALUE" in result.stderr


def test_unknown_blocks_and_settings_are_ignored(az, tmp_path):
    path = tmp_path / "t.pkr.hcl"
    path.write_text('packer {\n  required_plugins {\n    azure = { version = ">= 2.0" }\n  }\n}\n'
                    'source "azure-arm" "x" {\n  location = "westeurope"\n  some_future_setting = true\n'
                    '  shared_image_gallery_destination {\n    resource_group = "rg"\n    gallery_name = "g"\n'
                    '    image_name = "d"\n    image_version = "1.0.0"\n    unknown_inner = 1\n  }\n}\n'
                    'source "amazon-ebs" "y" {}\nbuild {\n  sources = ["source.azure-arm.x", "source.amazon-ebs.y"]\n'
                    '  post-processor "manifest" {}\n}\n')
    result = run(az, "--packer", str(path), "--fail-on", "error")
    assert result.exit_code == 0 and len(result.json) == 1
