import { FileUp, GitMerge, LogOut, Settings, Users } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { ROLE_LABELS } from '../../auth/claims';
import { useSession } from '../../auth/session';
import { ThemeToggle } from '../../ui/theme';
import { seesSettings } from '../settings/SettingsPage';

/** The frame around every signed-in page: navigation, who is signed in, sign-out. */
export function AppShell() {
  const { claims, can, signOut } = useSession();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const arrived = useRef(false);
  // After moving to another page, keyboard and screen reader users start at its content.
  useEffect(() => {
    if (arrived.current) main.current?.focus();
    arrived.current = true;
  }, [pathname]);
  if (claims === null) return null;
  const who = claims.name ?? claims.sub;
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Enhanced CRM</span>
        <nav aria-label="Main" className="nav">
          <ul>
            {can('listCustomers') && (
              <li>
                <NavLink to="/customers">
                  <Users aria-hidden="true" size={16} /> Customers
                </NavLink>
              </li>
            )}
            {can('listCustomerImports') && (
              <li>
                <NavLink to="/imports">
                  <FileUp aria-hidden="true" size={16} /> Imports
                </NavLink>
              </li>
            )}
            {can('listCustomerDuplicates') && (
              <li>
                <NavLink to="/duplicates">
                  <GitMerge aria-hidden="true" size={16} /> Duplicates
                </NavLink>
              </li>
            )}
            {seesSettings(can) && (
              <li>
                <NavLink to="/settings">
                  <Settings aria-hidden="true" size={16} /> Settings
                </NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="user">
          <span className="user-name" title={`Tenant ${claims.tenant}`}>
            {who}
            <span className="user-role">{ROLE_LABELS[claims.role]}</span>
          </span>
          <ThemeToggle />
          <button
            type="button"
            className="btn"
            onClick={() => {
              signOut();
            }}
          >
            <LogOut aria-hidden="true" size={16} /> Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}
