/**
 * Loaded by mocha (`.mocharc.json` "require") in its main process and in each parallel worker.
 * The main process names the test run; the workers inherit the name, so suites in different
 * workers can share what is built once per run (the offline renders, tests/support/render.ts).
 */
process.env.METALLB_TEST_RUN ||= `${process.pid}-${Date.now()}`;

// Every part MetalLbObservability builds parses again what the whole-stack component validated
// and throws if its own schema would refuse it (components/args.ts): the tests check that the
// stack settings' validation covers the parts', which the deployed program does not repeat.
process.env.METALLB_OBSERVABILITY_RECHECK_ARGS = "1";
