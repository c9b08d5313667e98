import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { adminPasswordResetInitContainer, grafanaUrlFor, RESET_ADMIN_PASSWORD_SCRIPT } from "../../../lib/monitoring/grafana";

describe("grafanaUrlFor", () => {
    const table: [string, string][] = [
        ["192.168.1.250", "http://192.168.1.250"],
        ["fd00::10", "http://[fd00::10]"],
        ["[fd00::10]", "http://[fd00::10]"],
        ["2001:db8::1:0:0:1", "http://[2001:db8::1:0:0:1]"],
        ["grafana.example.org", "http://grafana.example.org"],
    ];
    for (const [address, url] of table) {
        it(`${address} -> ${url}`, () => {
            assert.strictEqual(grafanaUrlFor(address), url);
            assert.doesNotThrow(() => new URL(grafanaUrlFor(address)), "a valid URL");
        });
    }
});

describe("adminPasswordResetInitContainer", () => {
    const c = adminPasswordResetInitContainer({ name: "grafana-admin", passwordKey: "admin-password" }) as any;

    it("runs Grafana's own image with the chart's data and config volumes and the admin Secret", () => {
        // The Grafana chart renders extraInitContainers through `tpl`, so the image is the Grafana container's.
        assert.match(c.image, /\{\{ \.Values\.image\.repository \}\}/);
        assert.deepStrictEqual(
            c.volumeMounts.map((m: any) => [m.name, m.mountPath]),
            [
                ["storage", "/var/lib/grafana"],
                ["config", "/etc/grafana/grafana.ini"],
            ],
        );
        assert.deepStrictEqual(c.env, [{ name: "GRAFANA_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "grafana-admin", key: "admin-password" } } }]);
        assert.ok(!JSON.stringify(c).includes("GF_SECURITY_ADMIN_PASSWORD"));
    });

    /** Runs the script with a fake `grafana` binary that records its arguments and stdin. */
    function runScript(withDatabase: boolean) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-reset-"));
        const data = path.join(dir, "data");
        fs.mkdirSync(data);
        if (withDatabase) {
            fs.writeFileSync(path.join(data, "grafana.db"), "SQLite format 3");
        }
        fs.writeFileSync(path.join(dir, "grafana"), `#!/bin/sh\necho "$@" > ${dir}/args\ncat > ${dir}/stdin\n`, { mode: 0o755 });
        const script = RESET_ADMIN_PASSWORD_SCRIPT.replaceAll("/var/lib/grafana", data);
        const r = spawnSync("/bin/sh", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin`, GRAFANA_ADMIN_PASSWORD: "n3w p@ss'word" }, encoding: "utf8" });
        const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
        return { status: r.status, args: read("args"), stdin: read("stdin") };
    }

    it("resets the admin password from stdin when the database exists", () => {
        assert.strictEqual(c.command[2], RESET_ADMIN_PASSWORD_SCRIPT);
        const r = runScript(true);
        assert.strictEqual(r.status, 0);
        assert.strictEqual(r.args?.trim(), "cli --homepath /usr/share/grafana admin reset-admin-password --password-from-stdin");
        assert.strictEqual(r.stdin, "n3w p@ss'word", "exactly the password, through stdin, not argv");
    });

    it("does nothing on the very first start (no database yet: Grafana applies the password itself)", () => {
        const r = runScript(false);
        assert.strictEqual(r.status, 0);
        assert.strictEqual(r.args, undefined, "grafana cli not called");
    });
});
