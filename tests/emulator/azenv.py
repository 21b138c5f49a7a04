"""Point the real `az` at a running emulator: isolated config dir, cloud, login.

Used by tests/conftest.py and by `python -m tests.emulator --write-env FILE` (whose env file a
shell script sources before running `az`). Two `az` subprocesses: cloud register and login.
"""

import configparser
import glob
import os
import shlex
import subprocess
import sys
import tempfile

CLOUD_NAME = "SigEmulator"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def az_executable():
    """The `az` of the interpreter running us (the project's venv)."""
    candidate = os.path.join(os.path.dirname(sys.executable), "az")
    return candidate if os.path.exists(candidate) else "az"


def ensure_egg_info(repo_root=REPO_ROOT):
    """AZURE_EXTENSION_DEV_SOURCES only sees an extension folder that has an *.egg-info."""
    if glob.glob(os.path.join(repo_root, "*.egg-info")):
        return
    built = subprocess.run([sys.executable, "setup.py", "-q", "egg_info"], cwd=repo_root,
                           capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise RuntimeError(f"python setup.py egg_info failed in {repo_root}: "
                           f"{built.stderr.strip()[-2000:]}")


def base_environment(emulator_url, ca_path, work_dir, dev_sources=REPO_ROOT):
    config_dir = os.path.join(work_dir, "azure-config")
    extension_dir = os.path.join(work_dir, "azure-extensions")
    os.makedirs(config_dir, exist_ok=True)
    os.makedirs(extension_dir, exist_ok=True)
    env = {
        "AZURE_CONFIG_DIR": config_dir,
        "AZURE_EXTENSION_DIR": extension_dir,
        "REQUESTS_CA_BUNDLE": ca_path,
        "SIG_EMULATOR_URL": emulator_url,
        # The emulator is local: a proxy from the environment would only get in the way.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    if dev_sources:
        env["AZURE_EXTENSION_DEV_SOURCES"] = dev_sources
    return env


def _write_core_config(config_dir, extra=None):
    """Settings `az config set` / `az cloud set` would write, without a subprocess each."""
    path = os.path.join(config_dir, "config")
    parser = configparser.ConfigParser()
    parser.read(path)
    for section, values in dict({
        "core": {"instance_discovery": "false", "collect_telemetry": "false",
                 "survey_message": "false", "no_color": "true", "only_show_errors": "false",
                 "disable_progress_bar": "true"},
        "output": {"show_survey_link": "false"},
        "auto-upgrade": {"enable": "no"},
    }, **(extra or {})).items():
        if not parser.has_section(section):
            parser.add_section(section)
        for key, value in values.items():
            parser.set(section, key, value)
    with open(path, "w", encoding="utf-8") as handle:
        parser.write(handle)


def run_az(env, *args, input_text=None, check=True):
    full_env = dict(os.environ)
    full_env.update(env)
    completed = subprocess.run([az_executable(), *args], env=full_env, input=input_text,
                               capture_output=True, text=True, check=False)
    if check and completed.returncode != 0:
        raise RuntimeError(f"az {' '.join(args[:3])} failed ({completed.returncode}): "
                           f"{completed.stderr.strip()[-2000:]}")
    return completed


def login(emulator, work_dir, dev_sources=REPO_ROOT):
    """Register the emulator as a cloud, make it current and log in as the service principal.

    Returns the environment (AZURE_CONFIG_DIR, REQUESTS_CA_BUNDLE, …) for later `az` runs.
    """
    if dev_sources:
        ensure_egg_info(dev_sources)
    env = base_environment(emulator.url, emulator.ca_path, work_dir, dev_sources)
    _write_core_config(env["AZURE_CONFIG_DIR"])
    run_az(env, "cloud", "register", "-n", CLOUD_NAME,
           "--endpoint-resource-manager", emulator.url + "/")
    _write_core_config(env["AZURE_CONFIG_DIR"], {"cloud": {"name": CLOUD_NAME}})  # = az cloud set
    principal = emulator.state.principal
    run_az(env, "login", "--service-principal", "-u", principal["app_id"],
           "-p", principal["password"], "--tenant", principal["tenant"], "-o", "none")
    return env


def write_env_file(path, env):
    """Written whole then renamed, so a script waiting for the file never reads half of it."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = f"{path}.partial"
    with open(partial, "w", encoding="utf-8") as handle:
        for key, value in sorted(env.items()):
            handle.write(f"export {key}={shlex.quote(value)}\n")
    os.replace(partial, path)


def new_work_dir():
    return tempfile.mkdtemp(prefix="sig-emulator-az-")
