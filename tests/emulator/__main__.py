"""python -m tests.emulator --port 0 --scenario FILE [--write-env FILE]"""

import argparse
import os
import signal
import sys

from . import azenv
from .scenario import ScenarioError
from .server import Emulator


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.emulator",
                                     description="Local ARM emulator for Azure Compute Gallery.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--scenario", help="YAML scenario (path or name under tests/scenarios)")
    parser.add_argument("--write-env", metavar="FILE",
                        help="log an isolated az config dir in and write an env file to source")
    parser.add_argument("--work-dir", help="where the az config dir goes (default: a temp dir)")
    args = parser.parse_args(argv)

    try:
        emulator = Emulator(port=args.port, scenario=args.scenario)
    except (ScenarioError, OSError) as error:
        parser.error(f"cannot start with scenario {args.scenario!r}: {error}")
    emulator.start()
    print(f"Emulator listening on {emulator.url} (scenario: {emulator.state.name})", flush=True)
    if args.write_env:
        work_dir = args.work_dir or azenv.new_work_dir()
        os.makedirs(work_dir, exist_ok=True)
        try:
            env = azenv.login(emulator, work_dir)
        except (RuntimeError, OSError) as error:
            emulator.stop()
            sys.exit(f"could not log az in to the emulator: {error}")
        azenv.write_env_file(args.write_env, env)
        print(f"az is logged in; run: source {args.write_env}", flush=True)
    else:
        principal = emulator.state.principal
        print("Point az at it with:", flush=True)
        print(f"  export REQUESTS_CA_BUNDLE={emulator.ca_path}")
        print("  export AZURE_CONFIG_DIR=$(mktemp -d)")
        print("  az config set core.instance_discovery=false")
        print(f"  az cloud register -n {azenv.CLOUD_NAME} "
              f"--endpoint-resource-manager {emulator.url}/")
        print(f"  az cloud set -n {azenv.CLOUD_NAME}")
        print(f"  az login --service-principal -u {principal['app_id']} -p <password> "
              f"--tenant {principal['tenant']}   # password: see tests/emulator/defaults.py",
              flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
