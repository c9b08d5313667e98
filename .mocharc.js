// mocha's configuration. Every tests/**/*.test.ts file runs, in two parallel workers, each taking the
// next file of this list when it is free: the files that keep a worker longest go first, so that no
// long file starts last with nothing left to run beside it; the pack test goes last, since it waits
// for the pack and install `npm test` started before mocha (tests/support/packConsumer.ts).
const fs = require("fs");
const path = require("path");

const FIRST = [
    "tests/package/schema.test.ts",
    "tests/scripts/render.test.ts",
    // Usually taken by the worker that ran schema.test.ts (render.test.ts keeps the other one longer):
    // in the same process, the package schema (the component analysis, ~5 CPU-s) is built once.
    "tests/package/yamlConsumer.test.ts",
    "tests/policy/policies.test.ts",
    "tests/lib/rules/promtool.test.ts",
    "tests/lib/dashboard/prometheus.test.ts",
    "tests/lib/config/secretLeak.test.ts",
    "tests/lib/monitoring/alertmanager.test.ts",
];
const LAST = ["tests/examples/pack.test.ts"];

const all = fs
    .readdirSync(path.join(__dirname, "tests"), { recursive: true })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.join("tests", f).split(path.sep).join("/"))
    .sort();
const spec = [...FIRST.filter((f) => all.includes(f)), ...all.filter((f) => !FIRST.includes(f) && !LAST.includes(f)), ...LAST.filter((f) => all.includes(f))];

module.exports = {
    require: ["tests/support/register.js", "tests/support/setup.ts"],
    extension: ["ts"],
    spec,
    parallel: true,
    jobs: 2,
    timeout: 30000,
    exit: true,
};
