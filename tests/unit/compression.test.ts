import { describe, expect, it } from "vitest";
import { acceptedEncoding } from "~/features/ops/compression.server";

describe("acceptedEncoding", () => {
  it("prefers brotli, then gzip, and honors q=0 and the wildcard", () => {
    expect(acceptedEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(acceptedEncoding("gzip, deflate")).toBe("gzip");
    expect(acceptedEncoding("br;q=0, gzip;q=0.8")).toBe("gzip");
    expect(acceptedEncoding("BR;Q=0.5")).toBe("br");
    expect(acceptedEncoding("*")).toBe("br");
    expect(acceptedEncoding("*;q=0, gzip")).toBe("gzip");
    expect(acceptedEncoding("identity")).toBeNull();
    expect(acceptedEncoding("gzip;q=0")).toBeNull();
    expect(acceptedEncoding("")).toBeNull();
    expect(acceptedEncoding(null)).toBeNull();
  });
});
