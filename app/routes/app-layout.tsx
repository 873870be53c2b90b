import { Form, NavLink, Outlet, useLoaderData } from "react-router";
import type { Route } from "./+types/app-layout";
import { homeFor, navigationFor } from "~/features/auth/navigation";
import { requireUser } from "~/features/auth/require-user.server";
import { keepPageWhileQueued } from "~/features/offline/answer-queue";

export function loader(args: Route.LoaderArgs) {
  const user = requireUser(args);
  return { name: user.name, orgName: user.orgName, nav: navigationFor(user.roles), home: homeFor(user.roles) };
}

// An answer kept on the phone while offline changes nothing the shell shows: nothing to reload.
export const shouldRevalidate = keepPageWhileQueued;

// Refusals and missing pages render below, in routes/app-pages.tsx, inside this shell.
export default function AppLayout() {
  return (
    <Shell {...useLoaderData<typeof loader>()}>
      <Outlet />
    </Shell>
  );
}

function Shell({
  name,
  orgName,
  nav,
  children,
}: Pick<Awaited<ReturnType<typeof loader>>, "name" | "orgName" | "nav"> & { children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <a href="/" className="flex items-center gap-2 font-bold text-slate-900 no-underline">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            Flywheel
          </a>
          <nav aria-label="Main" className="order-3 -mx-1 flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
            {nav.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                className={({ isActive }) =>
                  `whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium no-underline ${isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:no-underline"}`
                }
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <NavLink to="/account/password" className="text-slate-700" title={`Signed in to ${orgName}`}>
              <span className="sm:hidden">Account</span>
              <span className="hidden sm:inline">{name}</span>
            </NavLink>
            <Form method="post" action="/logout">
              <button type="submit" className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6 sm:py-8">{children}</main>
    </div>
  );
}
