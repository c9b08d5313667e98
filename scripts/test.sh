#!/usr/bin/env bash
# The project's test command (`npm test`): type-check everything, then run every mocha suite
# (unit tests with Pulumi mocks, the offline render, promtool/amtool rule and Alertmanager tests,
# the dashboard queries against a real Prometheus, the policy pack and the workflow lint), after
# the linter (eslint with typescript-eslint) and the formatter check (prettier).
set -euo pipefail
cd "$(dirname "$0")/.."
# Lint runs beside the compile (two cores); each one's failure fails the run. The compile is the
# whole-tree type check and the build (`npm run build`'s bin/, which examples/ import by name) in one
# process, and leaves the tree's JavaScript for the test run (scripts/compile.mjs).
npm run --silent lint &
lint=$!
node scripts/compile.mjs
wait "$lint"
npx mocha
