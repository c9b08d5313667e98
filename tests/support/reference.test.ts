import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REFERENCE_FILES, REFERENCE_VERSIONS, referenceFile, referenceUrl } from "./reference";

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `metallb-reference-${prefix}-`));

describe("upstream reference files (tests/support/reference.ts)", function () {
    this.timeout(30_000);

    it("every pinned file is found (../shared/reference, $METALLB_OBSERVABILITY_REFERENCE or the cache)", () => {
        for (const file of Object.keys(REFERENCE_FILES)) {
            assert.ok(fs.statSync(referenceFile(file)).size > 0, file);
        }
    });

    it("downloads from the upstream repository at the pinned commit, not a branch", () => {
        assert.strictEqual(
            referenceUrl("metallb/values.yaml", {}),
            `https://raw.githubusercontent.com/metallb/metallb/${REFERENCE_VERSIONS.metallb.commit}/charts/metallb/values.yaml`,
        );
        assert.strictEqual(
            referenceUrl("kube-prometheus-stack/monitoring.coreos.com_prometheusrules.yaml", {}),
            "https://raw.githubusercontent.com/prometheus-community/helm-charts/cf408a290aec489277a94450bb3511432477a53a/charts/kube-prometheus-stack/charts/crds/crds/crd-prometheusrules.yaml",
        );
    });

    it("a missing file with downloads disabled fails naming the file and how to provide it", () => {
        const env = {
            METALLB_OBSERVABILITY_REFERENCE: tmp("empty"),
            METALLB_OBSERVABILITY_REFERENCE_CACHE: tmp("cache"),
            METALLB_OBSERVABILITY_REFERENCE_FETCH: "0",
        };
        assert.throws(
            () => referenceFile("metallb/values.schema.json", env),
            (e: Error) =>
                /reference file metallb\/values\.schema\.json is missing/.test(e.message) &&
                e.message.includes("METALLB_OBSERVABILITY_REFERENCE") &&
                e.message.includes(`https://raw.githubusercontent.com/metallb/metallb/${REFERENCE_VERSIONS.metallb.commit}/charts/metallb/values.schema.json`),
        );
    });

    it("a missing file whose download fails says which file, which URL and how to provide it", () => {
        const env = {
            METALLB_OBSERVABILITY_REFERENCE: tmp("empty"),
            METALLB_OBSERVABILITY_REFERENCE_CACHE: tmp("cache"),
            METALLB_OBSERVABILITY_REFERENCE_URL: "http://127.0.0.1:1", // nothing listens on port 1
        };
        assert.throws(
            () => referenceFile("grafana/dashboard.jsonschema.json", env),
            (e: Error) =>
                /reference file grafana\/dashboard\.jsonschema\.json is missing and could not be downloaded from http:\/\/127\.0\.0\.1:1\/grafana\/grafana-foundation-sdk\/[0-9a-f]{40}\/jsonschema\/dashboard\.jsonschema\.json/.test(
                    e.message,
                ) && e.message.includes("set METALLB_OBSERVABILITY_REFERENCE"),
        );
    });

    describe("downloads into the cache once", () => {
        let server: ChildProcess | undefined;
        let base = "";
        const served = tmp("served");

        before(async () => {
            // The upstream layout (<owner>/<repo>/<commit>/<path>) served over HTTP by another process
            // (referenceFile blocks this one while it downloads).
            const file = path.join(served, "metallb", "frr-k8s", REFERENCE_VERSIONS.frrK8s.commit, "charts", "frr-k8s", "values.yaml");
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, "served: true\n");
            const script =
                "const fs=require('fs'),path=require('path');" +
                "const s=require('http').createServer((q,r)=>{const f=path.join(process.argv[1],decodeURIComponent(q.url));" +
                "fs.existsSync(f)?r.end(fs.readFileSync(f)):(r.statusCode=404,r.end());});" +
                "s.listen(0,'127.0.0.1',()=>console.log(s.address().port));";
            server = spawn(process.execPath, ["-e", script, served], { stdio: ["ignore", "pipe", "inherit"] });
            base = await new Promise<string>((resolve) => server!.stdout!.once("data", (d: Buffer) => resolve(`http://127.0.0.1:${d.toString().trim()}`)));
        });
        after(() => server?.kill());

        it("fetches a missing file at the pinned commit, then reads it from the cache", () => {
            const cache = tmp("cache");
            const env = {
                METALLB_OBSERVABILITY_REFERENCE: tmp("empty"),
                METALLB_OBSERVABILITY_REFERENCE_CACHE: cache,
                METALLB_OBSERVABILITY_REFERENCE_URL: base,
            };
            const got = referenceFile("metallb/frr-k8s-v0.0.25/values.yaml", env);
            assert.strictEqual(got, path.join(cache, "metallb/frr-k8s-v0.0.25/values.yaml"));
            assert.strictEqual(fs.readFileSync(got, "utf8"), "served: true\n");
            // Cached: no download even when downloads are now impossible.
            assert.strictEqual(
                referenceFile("metallb/frr-k8s-v0.0.25/values.yaml", { ...env, METALLB_OBSERVABILITY_REFERENCE_URL: "http://127.0.0.1:1" }),
                got,
            );
            // An upstream 404 is reported as a failed download.
            assert.throws(() => referenceFile("metallb/values.yaml", env), /could not be downloaded .*HTTP 404/);
        });
    });
});
