import { createContext, useContext, type ReactNode } from "react";

// The CSP nonce of this response. Browsers hide nonce attributes from the DOM, so on the
// client it is an empty string and React does not complain about the difference.
const NonceContext = createContext("");

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>;
}

export function useNonce(): string {
  return useContext(NonceContext);
}
