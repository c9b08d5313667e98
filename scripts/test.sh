#!/usr/bin/env bash
# The project's test command (`npm test`): type-check everything, then run every mocha suite
# (unit tests with Pulumi mocks, the offline render, promtool/amtool rule and Alertmanager tests and
# the dashboard queries against a real Prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit -p tsconfig.json
npx mocha
