import { useEffect } from "react";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import "./app.css";
import { loadSession } from "~/features/auth/middleware.server";
import { startOfflineSupport, type Presence } from "~/features/offline/offline-copies";
import { useNonce } from "~/ui/nonce";
import { describeError, ErrorPage } from "~/ui/error-page";

export const middleware: Route.MiddlewareFunction[] = [loadSession];

export const meta: Route.MetaFunction = () => [{ title: "Flywheel" }];

// The installable app (decision 035): the manifest for Android and desktop, the icon and colour iOS reads.
export const links: Route.LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1f5fd1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  // The app's shell loaded means someone is signed in; the sign-in page means no one is.
  const signedIn = useRouteLoaderData("routes/app-layout") !== undefined;
  const { pathname } = useLocation();
  const presence: Presence = signedIn ? "signed-in" : pathname === "/login" ? "signed-out" : "unknown";
  useEffect(() => {
    // The service worker is for the production build; under `npm run dev` it would keep stale modules.
    if (import.meta.env.PROD) startOfflineSupport(presence);
  }, [presence]);
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage {...describeError(error, import.meta.env.DEV)} />;
}
