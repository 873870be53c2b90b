// The roles a person may get from their first single sign-on: never admin, which an admin gives
// by hand. Safe to import from components: no database.
export const SSO_DEFAULT_ROLES = ["rep", "manager", "trainer"] as const;
