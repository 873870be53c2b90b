import { Outlet, useLocation, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/app-pages";
import type { loader as shellLoader } from "./app-layout";
import { describeError, ErrorPage } from "~/ui/error-page";

// Every signed-in page sits below this pathless route, whose only job is its ErrorBoundary. It
// sits inside the shell rather than on it: when a form is refused, React Router runs only the
// loaders above the boundary, so a boundary on the shell itself had no navigation to draw (a bare
// page without "Sign out"). Here the shell's loader has always run and the shell stays drawn.
export default function AppPages() {
  return <Outlet />;
}

/**
 * A refusal, a missing page or a failure keeps the navigation and "Sign out": nobody signed in is
 * ever left on a page with no way on. The way out never leads back to the page that refused (a
 * manager without a team on /insights).
 */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const shell = useRouteLoaderData<typeof shellLoader>("routes/app-layout");
  const { pathname } = useLocation();
  const home = shell && pathname === shell.home ? "/library" : "/";
  return <ErrorPage {...describeError(error, import.meta.env.DEV)} home={home} inShell />;
}
