#!/usr/bin/env bash
# The project's test command (`npm test`): type-check everything, then run every mocha suite
# (unit tests with Pulumi mocks, the offline render, promtool/amtool rule and Alertmanager tests,
# the dashboard queries against a real Prometheus, the policy pack, the packed package in a fresh
# consumer and the workflow lint), beside Biome's lint and format check (biome.json). Any of them
# failing fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/metallb-observability-test-XXXXXX")
pack=""
cleanup() {
    [ -n "$pack" ] && kill -- "-$pack" 2>/dev/null
    # The packed package's consumer (tests/support/packConsumer.ts), if the pack test did not remove it.
    if [ -f "$work/pack/work" ]; then
        consumer=$(cat "$work/pack/work")
        case "$consumer" in */metallb-observability-pack-*) rm -rf "$consumer" ;; esac
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# What the tests write (renders, Prometheus data, rule files) goes into this run's folder, removed at the end.
mkdir "$work/tmp" "$work/pack"

# 1. The packed package in a fresh consumer (pack, install, two compiles: the longest chain of the
#    run) starts first and waits for bin/: the compile writes it before it checks the rest of the
#    tree (and touches `built`), so the pack and install run beside that check, the compiles beside
#    mocha; its test reads the result (tests/support/packConsumer.ts). Its own process group
#    (setsid), so that an interrupted run stops the npm and tsc it started.
TMPDIR="$work/tmp" $(command -v setsid) node -r ./tests/support/register.js tests/support/packConsumer.ts "$work/pack" >"$work/pack/log" 2>&1 &
pack=$!

# 2. Lint beside the compile. The compile is the build (`npm run build`'s bin/, which examples/
#    import by name), then the whole-tree type check, which leaves the tree's JavaScript for the
#    test run (scripts/compile.mjs, TypeScript 7).
npm run --silent lint >"$work/lint.log" 2>&1 &
lint=$!
node scripts/compile.mjs --built "$work/pack/built"
compiled=$?

mocha=1
if [ "$compiled" -eq 0 ]; then
    export TMPDIR="$work/tmp"
    METALLB_PACK_CONSUMER="$work/pack" node_modules/.bin/mocha
    mocha=$?
fi

wait "$lint"
linted=$?
if [ "$linted" -ne 0 ]; then
    cat "$work/lint.log"
fi
if [ "$linted" -ne 0 ] || [ "$compiled" -ne 0 ] || [ "$mocha" -ne 0 ]; then
    echo "npm test: FAILED (lint exit $linted, compile exit $compiled, mocha exit ${mocha})" >&2
    exit 1
fi
