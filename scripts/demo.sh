#!/usr/bin/env bash
# The README's first command: set up .venv with the pinned azure-cli, install sig-doctor from its
# wheel into an isolated extension folder, explain a shipped sample log, then start the local ARM
# emulator with the demo scenario, log az into it and run a pre-check against it.
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
DEMO="$ROOT/.demo"
rm -rf "$DEMO" && mkdir -p "$DEMO/dist"
export AZURE_CONFIG_DIR="$DEMO/azure" AZURE_EXTENSION_DIR="$DEMO/extensions"
export AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_ONLY_SHOW_ERRORS=true
unset AZURE_EXTENSION_DEV_SOURCES

echo ">> building the wheel and installing it: az extension add --source dist/<wheel>" >&2
"$VENV/bin/python" -m pip wheel --quiet --no-deps --no-build-isolation -w "$DEMO/dist" . > "$DEMO/build.log" 2>&1 \
    || { cat "$DEMO/build.log" >&2; exit 1; }
az extension add --source "$(ls "$DEMO"/dist/sig_doctor-*.whl)" --yes >&2

echo
EXPLAIN=(az sig doctor explain --log samples/image-version-create.debug.log
         --query "[].{id: id, line: line, resource: resource.resource_id, cause: cause, fix: fix, run: commands}" -o yaml)
echo "\$ ${EXPLAIN[*]}"
"${EXPLAIN[@]}"

echo
echo ">> starting the local ARM emulator with tests/scenarios/demo.yaml and logging az into it" >&2
"$VENV/bin/python" -m tests.emulator --port 0 --scenario tests/scenarios/demo.yaml \
    --write-env "$DEMO/emulator.env" --work-dir "$DEMO/emulator" > "$DEMO/emulator.log" 2>&1 &
EMULATOR=$!
trap 'kill $EMULATOR 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do [ -s "$DEMO/emulator.env" ] && break; sleep 0.2; done
[ -s "$DEMO/emulator.env" ] || { cat "$DEMO/emulator.log" >&2; exit 1; }
set -a; source "$DEMO/emulator.env"; set +a
# Keep using the extension installed from the wheel above, not the source tree.
export AZURE_EXTENSION_DIR="$DEMO/extensions"; unset AZURE_EXTENSION_DEV_SOURCES

SUB=00000000-0000-0000-0000-000000000001
echo
echo "\$ az sig list -o table"
az sig list -o table
CHECK=(az sig doctor check-version -g demo-rg -r demoGallery -i demoImage -e 1.1.0
       --virtual-machine /subscriptions/$SUB/resourceGroups/demo-rg/providers/Microsoft.Compute/virtualMachines/runningVm
       --target-regions westeurope westeurope northeurope)
echo
echo "\$ ${CHECK[*]} --query summary -o table"
"${CHECK[@]}" --query summary -o table || true
echo
echo "\$ ${CHECK[*]} --query \"findings[?status=='fail'].{...}\" -o yaml"
status=0
"${CHECK[@]}" --query "findings[?status=='fail'].{rule: rule, error: error_id, detail: detail, fix: fix, run: commands}" \
    -o yaml || status=$?
echo
echo "check-version exited $status: non-zero because checks failed, which is what stops a pipeline."
