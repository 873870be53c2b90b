// A push service on this machine, for tests: it receives what the server sends to a device,
// decrypts it with the device's own keys as a browser would (RFC 8291, aes128gcm: ECDH P-256,
// HKDF-SHA-256, AES-128-GCM) and checks the VAPID signature (RFC 8292: an ES256 JWT). Written with
// node:crypto only, so the test does not trust web-push to check web-push.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A device's keys: what pushManager.subscribe keeps (private) and gives the server (public). */
export type DeviceKeys = { ecdh: crypto.ECDH; p256dh: string; auth: string; authSecret: Buffer };

export function newDeviceKeys(): DeviceKeys {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  const authSecret = crypto.randomBytes(16);
  return {
    ecdh,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: authSecret.toString("base64url"),
    authSecret,
  };
}

/** What a device answers the server: a status, or "reset" to drop the connection after reading the request. */
export type Answer = number | "reset";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: Buffer };

export type PushEndpoint = {
  /** An endpoint URL for a new device on this service. */
  endpoint: (device: string) => string;
  origin: string;
  received: Received[];
  /** How the service answers for `device` from now on (201 unless set). */
  answer: (device: string, answer: Answer) => void;
  /** Resolves with the next `count` requests for `device` (counting those already received). */
  waitFor: (device: string, count?: number) => Promise<Received[]>;
  stop: () => Promise<void>;
};

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const received: Received[] = [];
  const answers = new Map<string, Answer>();
  const waiting: (() => void)[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const device = path.split("/").at(-1)!;
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      for (const wake of waiting.splice(0)) wake();
      const answer = answers.get(device) ?? 201;
      if (answer === "reset") {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const forDevice = (device: string) => received.filter((r) => r.path === `/push/${device}`);
  return {
    origin,
    endpoint: (device) => `${origin}/push/${device}`,
    received,
    answer: (device, answer) => answers.set(device, answer),
    waitFor: (device, count = 1) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no push reached ${device} within 20 s`)), 20_000);
        const check = () => {
          if (forDevice(device).length >= count) {
            clearTimeout(timer);
            resolve(forDevice(device));
          } else waiting.push(check);
        };
        check();
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const hmac = (key: Buffer, data: Buffer) => crypto.createHmac("sha256", key).update(data).digest();

/** The plaintext of an aes128gcm push message (RFC 8188 framing, RFC 8291 keys), decrypted with the device's keys. */
export function decryptPush(body: Buffer, device: DeviceKeys): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body[20]!;
  const serverPublicKey = body.subarray(21, 21 + keyIdLength);
  const records = body.subarray(21 + keyIdLength);
  if (keyIdLength !== 65 || records.length > recordSize) throw new Error("not a one-record aes128gcm message");
  const sharedSecret = device.ecdh.computeSecret(serverPublicKey);
  // RFC 8291 §3.3: the input keying material from the ECDH secret and the device's auth secret.
  const keyInfo = Buffer.concat([
    Buffer.from("WebPush: info\0"),
    device.ecdh.getPublicKey(),
    serverPublicKey,
    Buffer.from([1]),
  ]);
  const ikm = hmac(hmac(device.authSecret, sharedSecret), keyInfo);
  // RFC 8188 §2.2–2.3: the content-encryption key and nonce from the salt.
  const prk = hmac(salt, ikm);
  const key = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
  const decipher = crypto.createDecipheriv("aes-128-gcm", key, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("the last record has no end delimiter");
  return padded.subarray(0, end).toString("utf8");
}

export type VapidClaims = { aud: string; exp: number; sub: string };

/**
 * The claims of a request's VAPID authorization (`vapid t=<jwt>, k=<public key>`) after checking
 * that `k` is `serverPublicKey` and that the JWT's ES256 signature verifies with it.
 */
export function verifiedVapid(authorization: string | undefined, serverPublicKey: string): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!match) throw new Error(`not a VAPID authorization: ${authorization}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  if (k !== serverPublicKey) throw new Error("the VAPID key is not the server's");
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const { alg, typ } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: string; typ: string };
  if (alg !== "ES256" || typ !== "JWT") throw new Error(`unexpected JWT header ${alg} ${typ}`);
  const raw = Buffer.from(k, "base64url");
  const publicKey = crypto.createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const valid = crypto.verify(
    "sha256",
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!valid) throw new Error("the VAPID signature does not verify");
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as VapidClaims;
}
