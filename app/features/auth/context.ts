import { createContext } from "react-router";
import type { SessionUser } from "./sessions.server";

/** Who is asking: set once per request by the root middleware. */
export type AuthState = { user: SessionUser; sessionId: string } | null;
export const authContext = createContext<AuthState>(null);

/** The client's address, from the production server (or "local" under `npm run dev`). */
export const clientAddressContext = createContext<string>("local");
