import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, whenUnauthenticated } from '../api/api-client';

export type Role = 'researcher' | 'firm_member' | 'lab_manager' | 'department_staff' | 'admin';

export interface SessionUser {
  id: string;
  role: Role;
  institutionId: string | null;
  regionCode: string | null;
  expiresAt: number;
}

interface Session {
  token: string | null;
  user: SessionUser | null;
  login(email: string, password: string): Promise<void>;
  logout(): void;
}

const STORAGE_KEY = 'session';
const SessionContext = createContext<Session | null>(null);

/** The access token's claims (the services check its signature; the page only reads who is signed in). */
function decode(token: string): SessionUser | null {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { id: claims.sub, role: claims.role, institutionId: claims.inst, regionCode: claims.region, expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}

function stored(): string | null {
  const token = localStorage.getItem(STORAGE_KEY);
  const user = token ? decode(token) : null;
  return user && user.expiresAt > Date.now() ? token : null;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(stored);
  const logout = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setToken(null);
  }, []);
  useEffect(() => whenUnauthenticated(logout), [logout]);
  const login = useCallback(async (email: string, password: string) => {
    const { accessToken } = await api<{ accessToken: string }>('catalog', '/auth/login', { method: 'POST', body: { email, password } });
    localStorage.setItem(STORAGE_KEY, accessToken);
    setToken(accessToken);
  }, []);
  const value = useMemo(() => ({ token, user: token ? decode(token) : null, login, logout }), [token, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}
