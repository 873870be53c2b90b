// What the audit trail records, in the words the audit page shows (its filter lists them in this
// order). Safe to import from components: no database.

export const AUDIT_ACTIONS = {
  "invitation.sent": "Invited",
  "invitation.resent": "Invitation sent again",
  "invitation.revoked": "Invitation revoked",
  "person.created": "Person added",
  "person.renamed": "Name changed",
  "person.email-changed": "E-mail address changed",
  "person.roles-changed": "Roles changed",
  "person.teams-changed": "Teams changed",
  "person.deactivated": "Deactivated",
  "person.reactivated": "Reactivated",
  "team.created": "Team created",
  "team.renamed": "Team renamed",
  "team.managers-changed": "Team managers changed",
  "team.members-added": "Team members added",
  "team.members-changed": "Team members changed",
  "team.member-removed": "Team member removed",
  "organization.settings-changed": "Settings changed",
  "people.imported": "People imported",
  "address.refused": "Address refused",
  "scim.token-created": "SCIM token created",
  "scim.token-revoked": "SCIM token revoked",
  "sign-in.settings-changed": "Sign-in settings changed",
  "sign-in.sso-joined": "Joined through single sign-on",
  "sign-in.sso-linked": "Account linked to single sign-on",
  "sign-in.sso-refused": "Single sign-on refused",
  "sign-in.admin-password": "Admin signed in with a password while SSO is required",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}
