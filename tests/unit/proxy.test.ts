import { afterEach, describe, expect, it } from "vitest";
import { isCrossOriginWrite } from "~/features/auth/origin.server";
import { addressBucket, browserOrigin, clientAddress, requestedHost } from "~/shared/proxy.server";

const saved = { APP_ORIGIN: process.env.APP_ORIGIN, TRUST_PROXY: process.env.TRUST_PROXY };
function environment(values: { APP_ORIGIN?: string; TRUST_PROXY?: string }) {
  for (const key of ["APP_ORIGIN", "TRUST_PROXY"] as const) {
    if (values[key] === undefined) delete process.env[key];
    else process.env[key] = values[key];
  }
}
afterEach(() => environment(saved));

const internal = { host: "10.0.0.7:3000" };
const forwarded = { ...internal, "x-forwarded-proto": "https", "x-forwarded-host": "flywheel.example" };

describe("the origin the browser is on", () => {
  it("without a trusted proxy is plain HTTP to the Host header, whatever X-Forwarded-* say", () => {
    environment({});
    expect(browserOrigin(forwarded).origin).toBe("http://10.0.0.7:3000");
    expect(requestedHost(forwarded)).toBe("10.0.0.7:3000");
    expect(browserOrigin({}).origin).toBe("http://localhost");
  });

  it("with TRUST_PROXY=1 is the proxy's X-Forwarded-Proto and -Host, the last entry of each", () => {
    environment({ TRUST_PROXY: "1" });
    expect(browserOrigin(forwarded).origin).toBe("https://flywheel.example");
    expect(requestedHost(forwarded)).toBe("flywheel.example");
    // The client wrote the first entries; the proxy appended its own.
    const appended = { ...internal, "x-forwarded-proto": "https, http", "x-forwarded-host": "evil.example, x.example" };
    expect(browserOrigin(appended).origin).toBe("http://x.example");
    expect(browserOrigin({ ...forwarded, "x-forwarded-proto": "HTTPS" }).protocol).toBe("https:");
    // A proxy that sends no X-Forwarded-Host leaves the Host header as it was.
    expect(browserOrigin({ ...internal, "x-forwarded-proto": "https" }).origin).toBe("https://10.0.0.7:3000");
    expect(browserOrigin({ ...forwarded, "x-forwarded-host": "flywheel.example:443" }).origin).toBe(
      "https://flywheel.example",
    );
  });

  it("with APP_ORIGIN set is that origin", () => {
    environment({ APP_ORIGIN: "https://flywheel.example", TRUST_PROXY: "1" });
    expect(browserOrigin({ host: "FLYWHEEL.example" }).origin).toBe("https://flywheel.example");
    expect(browserOrigin({ ...forwarded, "x-forwarded-proto": "http" }).origin).toBe("https://flywheel.example");
  });

  it("refuses a host that makes no URL", () => {
    environment({ TRUST_PROXY: "1" });
    expect(() => browserOrigin({ ...forwarded, "x-forwarded-host": "evil example" })).toThrow(TypeError);
  });
});

describe("cross-origin writes", () => {
  const write = { method: "POST", secFetchSite: null, browserOrigin: "https://flywheel.example" };
  it("compare Origin with the browser's origin; reads and clients that send neither header pass", () => {
    expect(isCrossOriginWrite({ ...write, origin: "https://flywheel.example" })).toBe(false);
    expect(isCrossOriginWrite({ ...write, origin: "http://flywheel.example" })).toBe(true);
    expect(isCrossOriginWrite({ ...write, origin: "https://evil.example" })).toBe(true);
    expect(isCrossOriginWrite({ ...write, origin: null, secFetchSite: "cross-site" })).toBe(true);
    expect(isCrossOriginWrite({ ...write, origin: null })).toBe(false);
    expect(isCrossOriginWrite({ ...write, method: "GET", origin: "https://evil.example" })).toBe(false);
  });
});

describe("the client's address", () => {
  it("is the TCP peer without a trusted proxy, whatever X-Forwarded-For says", () => {
    environment({});
    expect(clientAddress("192.0.2.10", "203.0.113.5")).toBe("192.0.2.10");
    expect(clientAddress("::ffff:192.0.2.10", null)).toBe("192.0.2.10");
  });

  it("with TRUST_PROXY=1 is the last X-Forwarded-For entry, the one our proxy added", () => {
    environment({ TRUST_PROXY: "1" });
    expect(clientAddress("10.0.0.2", "203.0.113.5")).toBe("203.0.113.5");
    // Whatever the client wrote before it is not believed.
    expect(clientAddress("10.0.0.2", "198.51.100.1, 198.51.100.2,203.0.113.5")).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.2", "203.0.113.5:61000")).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.2", "[2001:DB8::7]:443")).toBe("2001:db8::7");
    // No header, or one that names no address: the peer (the proxy itself) is all we know.
    expect(clientAddress("10.0.0.2", null)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "203.0.113.5, unknown")).toBe("10.0.0.2");
    expect(clientAddress(undefined, null)).toBe("unknown");
  });

  it("is throttled as itself for IPv4 and by its /64 network for IPv6", () => {
    expect(addressBucket("203.0.113.5")).toBe("203.0.113.5");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
    expect(addressBucket("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
    expect(addressBucket("1::2:3:4:5:192.0.2.1")).toBe("1:0:2:3::/64");
  });
});
