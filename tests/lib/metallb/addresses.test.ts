import * as assert from "assert";
import { parseAddressEntry, rangeContains, rangesOverlap, rangeSize } from "../../../lib/metallb/addresses";

function ok(entry: string) {
    const r = parseAddressEntry(entry);
    assert.ok(r.ok, `expected "${entry}" to parse: ${r.ok ? "" : r.error}`);
    return r.range;
}

function fails(entry: string, pattern: RegExp) {
    const r = parseAddressEntry(entry);
    assert.ok(!r.ok, `expected "${entry}" to be rejected`);
    assert.match(r.error, pattern);
}

describe("parseAddressEntry", () => {
    it("accepts IPv4 and IPv6 CIDRs and counts their addresses", () => {
        assert.strictEqual(rangeSize(ok("192.168.10.0/28")), 16n);
        assert.strictEqual(rangeSize(ok("10.0.0.7/32")), 1n);
        assert.strictEqual(rangeSize(ok("fd00:10::/124")), 16n);
    });

    it("accepts inclusive start-end ranges of one family", () => {
        assert.strictEqual(rangeSize(ok("192.168.1.240-192.168.1.250")), 11n);
        assert.strictEqual(rangeSize(ok("192.168.1.5-192.168.1.5")), 1n);
        assert.strictEqual(rangeSize(ok("fd00::10-fd00::1f")), 16n);
    });

    it("rejects a bare IP and says which prefix length to add", () => {
        fails("10.0.0.1", /bare IP.*10\.0\.0\.1\/32/);
        fails("fd00::1", /bare IP.*fd00::1\/128/);
    });

    it("rejects text that is neither a CIDR nor a range", () => {
        fails("eleven", /neither a CIDR nor a start-end range/);
        fails("10.0.0.0/33", /not a valid CIDR/);
        fails("10.1/8", /not a valid CIDR/);
        fails("10.0.0.1-10.0.0.2-10.0.0.3", /neither a CIDR nor a start-end range/);
        fails("10.0.0.1-banana", /"banana" is not an IP address/);
    });

    it("rejects a range whose start is after its end", () => {
        fails("10.0.0.20-10.0.0.10", /starts after it ends/);
    });

    it("rejects a range that mixes IPv4 and IPv6", () => {
        fails("10.0.0.1-fd00::1", /mixes IPv4 and IPv6/);
    });
});

describe("rangesOverlap / rangeContains", () => {
    it("detects overlaps within a family only", () => {
        assert.ok(rangesOverlap(ok("10.0.0.0/24"), ok("10.0.0.255-10.0.1.5")));
        assert.ok(!rangesOverlap(ok("10.0.0.0/25"), ok("10.0.0.128/25")));
        assert.ok(!rangesOverlap(ok("0.0.0.0/0"), ok("::/0")));
    });

    it("tells whether an address is inside a range", () => {
        const r = ok("192.168.1.240-192.168.1.250");
        assert.ok(rangeContains(r, "192.168.1.245"));
        assert.ok(!rangeContains(r, "192.168.1.251"));
        assert.ok(!rangeContains(r, "fd00::1"));
    });
});

describe("address entries with host bits", () => {
    it("refuses 10.30.3.5/28 and names the network it meant", () => {
        const r = parseAddressEntry("10.30.3.5/28");
        assert.ok(!r.ok);
        assert.match(r.error, /host bits set; the network is 10\.30\.3\.0\/28.*10\.30\.3\.5\/32/);
    });
    it("refuses an IPv6 CIDR with host bits, naming its network", () => {
        const r = parseAddressEntry("fd00:10::5/124");
        assert.ok(!r.ok);
        assert.match(r.error, /the network is fd00:10::\/124/);
    });
    it("accepts the network itself", () => {
        assert.ok(parseAddressEntry("10.30.3.0/28").ok);
    });
});
