import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { configureAuth } from '../api/client';
import type { OperationId } from '../api/generated/operation-roles';
import { decodeClaims, isExpired, roleMay, type Claims } from './claims';

// The tab's session only: the token never goes into a URL, a cookie or localStorage.
const STORAGE_KEY = 'crm.console.token';

export interface Session {
  token: string | null;
  claims: Claims | null;
  /** Why the last session ended, to say so on the sign-in page. */
  endedBecause: string | null;
  signIn: (token: string) => string | null;
  signOut: (reason?: string) => void;
  can: (operation: OperationId) => boolean;
}

const SessionContext = createContext<Session | null>(null);

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage refused (private mode): the token lives in memory for this page only.
  }
}

function validClaims(token: string | null): Claims | null {
  if (token === null) return null;
  const claims = decodeClaims(token);
  return claims !== null && !isExpired(claims, Date.now()) ? claims : null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [stored, setToken] = useState<string | null>(readStored);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const claims = useMemo(() => validClaims(stored), [stored]);
  // A token that expired (or cannot be read) counts as none; the API's 401 says the same.
  const token = claims === null ? null : stored;

  const signOut = useCallback(
    (reason?: string) => {
      store(null);
      configureAuth(null, () => undefined);
      setToken(null);
      setEndedBecause(reason ?? null);
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((candidate: string): string | null => {
    const trimmed = candidate.trim();
    const decoded = decodeClaims(trimmed);
    if (decoded === null) return 'This is not a token the CRM issues: paste the whole JWT.';
    if (isExpired(decoded, Date.now())) return 'This token has expired. Get a new one.';
    store(trimmed);
    setEndedBecause(null);
    setToken(trimmed);
    return null;
  }, []);

  // Before children render, so their first call already carries the token.
  configureAuth(token, () => {
    signOut('Your session has expired or was refused. Sign in again.');
  });
  const can = useCallback(
    (operation: OperationId) => claims !== null && roleMay(claims.role, operation),
    [claims],
  );

  const value = useMemo(
    () => ({ token, claims, endedBecause, signIn, signOut, can }),
    [token, claims, endedBecause, signIn, signOut, can],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside SessionProvider');
  return session;
}
