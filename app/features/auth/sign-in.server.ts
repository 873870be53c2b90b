// Signing in with a password, under the sign-in throttle, and what a browser gets once signed in.
import { redirect } from "react-router";
import type { Handle } from "~/db/connection.server";
import { authenticate } from "./accounts.server";
import { deviceCookie, readDeviceToken, sessionCookie } from "./cookie.server";
import { knownDeviceOf, rememberDevice } from "./devices.server";
import { createSession } from "./sessions.server";
import {
  addressKey,
  forgiveThrottle,
  hitThrottle,
  loginAccountKey,
  loginDeviceKey,
  THROTTLE,
  type ThrottleCheck,
} from "./throttle.server";

export type SignIn =
  | { ok: true; userId: string }
  | { ok: false; reason: "no-match" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks an e-mail address and password, counting the attempt against the account and the
 * client's address (`address`: clientAddressContext). From a browser that has signed in to this
 * account before (its device cookie's token in `deviceToken`), the device's own limit decides
 * instead: the account's and the address's still count the attempt, so a wrong password from it
 * brings their locks nearer, but a lock made by someone guessing elsewhere does not keep the
 * owner out. A right password gives its attempts back.
 */
export async function signIn(
  db: Handle,
  input: { email: string; password: string; address: string; deviceToken: string | null },
  now = new Date(),
): Promise<SignIn> {
  const device = await knownDeviceOf(db, input.deviceToken, input.email, now);
  const account = loginAccountKey(input.email);
  const address = addressKey("login", input.address);
  const checks: ThrottleCheck[] = device
    ? [
        [loginDeviceKey(device), THROTTLE.loginDevice],
        [account, THROTTLE.loginAccount, "counted"],
        [address, THROTTLE.loginAddress, "counted"],
      ]
    : [
        [account, THROTTLE.loginAccount],
        [address, THROTTLE.loginAddress],
      ];
  const verdict = await hitThrottle(db, checks, now.getTime());
  if (!verdict.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };

  const result = await authenticate(db, input.email, input.password);
  if (!result) return { ok: false, reason: "no-match" };
  for (const [key, rule] of checks) await forgiveThrottle(db, key, rule, now.getTime());
  return { ok: true, userId: result.userId };
}

/**
 * The answer that signs `userId` in on this browser and sends it to `to`: a new session, and the
 * browser remembered as one of the account's devices. Every way of signing in ends here (the
 * sign-in form, an invitation or reset link, first-run set-up).
 */
export async function signedInRedirect(
  db: Handle,
  request: Request,
  userId: string,
  to: string,
  now = new Date(),
): Promise<Response> {
  const session = await createSession(db, userId, now);
  const device = await rememberDevice(db, userId, readDeviceToken(request), now);
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(request, session));
  headers.append("Set-Cookie", deviceCookie(request, device));
  return redirect(to, { headers });
}
