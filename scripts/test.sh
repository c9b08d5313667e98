#!/usr/bin/env bash
# The project's test command (`npm test`): type-check everything, then run every mocha suite
# (unit tests with Pulumi mocks, the offline render, promtool/amtool rule and Alertmanager tests,
# the dashboard queries against a real Prometheus, the policy pack and the workflow lint), after
# the linter (eslint with typescript-eslint) and the formatter check (prettier).
set -euo pipefail
cd "$(dirname "$0")/.."
# Lint and the whole-tree type check run beside the build (two cores); each one's failure fails the run.
npm run --silent lint &
lint=$!
npx tsc --noEmit -p tsconfig.json &
typecheck=$!
npm run --silent build          # the package's compiled entry point, which examples/ import by name
wait "$lint"
wait "$typecheck"
npx mocha
