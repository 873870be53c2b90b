import { NavLink } from "react-router";

const TABS = [
  { to: "/admin", label: "Overview" },
  { to: "/admin/users", label: "People" },
  { to: "/admin/teams", label: "Teams" },
  { to: "/admin/outbox", label: "Outbox" },
  { to: "/admin/settings", label: "Settings" },
];

export function AdminTabs() {
  return (
    <nav aria-label="Admin" className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
      {TABS.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.to === "/admin"}
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
