import { NavLink } from "react-router";

export type SectionTab = { to: string; label: string; end?: boolean };

/** The pages of one section (admin, your account) as tabs under its title; the current one marked. */
export function SectionTabs({ label, tabs }: { label: string; tabs: readonly SectionTab[] }) {
  return (
    <nav aria-label={label} className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
      {tabs.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          // A section's own overview is current only on itself, not on every page under it.
          end={tab.end}
          className={({ isActive }) =>
            `-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium no-underline ${isActive ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900 hover:no-underline"}`
          }
        >
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}

const ADMIN_TABS = [
  { to: "/admin", label: "Overview", end: true },
  { to: "/admin/users", label: "People" },
  { to: "/admin/teams", label: "Teams" },
  { to: "/admin/outbox", label: "Outbox" },
  { to: "/admin/settings", label: "Settings" },
  { to: "/admin/sign-in", label: "Sign-in" },
  { to: "/admin/audit", label: "Audit trail" },
  { to: "/admin/scim", label: "SCIM" },
];

export function AdminTabs() {
  return <SectionTabs label="Admin" tabs={ADMIN_TABS} />;
}

const ACCOUNT_TABS = [
  { to: "/account/password", label: "Password" },
  { to: "/account/reminders", label: "Reminders" },
];

/** Your account's pages: reachable from the name (or "Account" on a phone) in the header. */
export function AccountTabs() {
  return <SectionTabs label="Your account" tabs={ACCOUNT_TABS} />;
}
