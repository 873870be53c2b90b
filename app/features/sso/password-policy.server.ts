// "Require SSO": password sign-in is off for the organization's people whose addresses are on the
// domains it claimed for its provider (decision 038: people with other addresses, such as an
// agency's, cannot sign in there and keep their passwords), admins excepted, so that a broken
// provider cannot lock the organization out. Each admin password sign-in while it is on is
// in the audit trail and e-mailed to the other admins, who would notice one they did not expect.
import { and, eq, ne } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { ssoConnections, userRoles, users } from "~/db/schema";
import { recordAudit } from "~/features/audit/audit.server";
import { queueMails } from "~/features/mail/mailer.server";
import { appUrl } from "~/shared/app-origin.server";
import { addressesSigningInWithSso } from "./settings.server";

export type PasswordPolicy = { allowed: true } | { allowed: false; providerName: string };

/** Whether `userId`, whose password was just verified, may sign in with it at `now`. */
export async function passwordSignInPolicy(db: Handle, userId: string, now: Date): Promise<PasswordPolicy> {
  const user = await first(
    db
      .select({
        orgId: users.orgId,
        email: users.email,
        name: users.name,
        requireSso: ssoConnections.requireSso,
        providerName: ssoConnections.providerName,
      })
      .from(users)
      .leftJoin(ssoConnections, eq(ssoConnections.orgId, users.orgId))
      .where(eq(users.id, userId))
      .limit(1),
  );
  if (!user?.requireSso || !user.providerName) return { allowed: true };
  if (!(await addressesSigningInWithSso(db, user.orgId, [user.email])).has(user.email)) return { allowed: true };
  const admin = await first(
    db
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.userId, userId), eq(userRoles.role, "admin")))
      .limit(1),
  );
  if (!admin) return { allowed: false, providerName: user.providerName };

  const { orgId, email, name, providerName } = user;
  await transaction(db, async (tx) => {
    await recordAudit(
      tx,
      orgId,
      { userId, email, source: "sso" },
      { action: "sign-in.admin-password", subjectType: "user", subjectId: userId, subjectLabel: email },
      now,
    );
    const others = await tx
      .select({ email: users.email })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "admin")))
      .where(and(eq(users.orgId, orgId), eq(users.active, true), ne(users.id, userId)));
    await queueMails(
      tx,
      others.map((other) => ({
        orgId,
        to: other.email,
        subject: `${name} signed in to Flywheel with a password`,
        text: [
          `${name} (${email}) signed in to Flywheel with a password at ${now.toISOString()}, while your organization requires single sign-on through ${providerName}.`,
          "",
          "Admins keep their passwords so that a provider outage cannot lock everyone out. If you did not expect this sign-in, check the audit trail:",
          appUrl("/admin/audit?action=sign-in.admin-password"),
        ].join("\n"),
      })),
    );
  });
  return { allowed: true };
}
