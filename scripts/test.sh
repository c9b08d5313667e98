#!/usr/bin/env bash
# The project's test command (`npm test`): type-check everything, then run every mocha suite
# (unit tests with Pulumi mocks, the offline render, promtool/amtool rule and Alertmanager tests,
# the dashboard queries against a real Prometheus, the policy pack and the workflow lint), after
# the linter (eslint with typescript-eslint) and the formatter check (prettier).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent lint
npm run --silent build          # the package's compiled entry point, which examples/ import by name
npx tsc --noEmit -p tsconfig.json
npx mocha
