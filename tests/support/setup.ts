/**
 * Loaded by mocha (`.mocharc.json` "require") in its main process and in each parallel worker.
 * The main process names the test run; the workers inherit the name, so suites in different
 * workers can share what is built once per run (the offline renders, tests/support/render.ts).
 */
process.env.METALLB_TEST_RUN ||= `${process.pid}-${Date.now()}`;
