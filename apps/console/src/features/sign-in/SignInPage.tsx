import { LogIn, Sparkles } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { describeError } from '../../api/problem';
import { ROLE_LABELS, type Role } from '../../auth/claims';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { usePageTitle } from '../../ui/page-title';
import { ThemeToggle } from '../../ui/theme';
import { requestDemoToken } from './demo-token';

type StaffRole = Exclude<Role, 'customer'>;
const STAFF_ROLES: StaffRole[] = ['admin', 'manager', 'staff', 'sales_rep'];

/** Where to go after signing in: the page that sent the person here, if it is one of ours. */
function returnPath(state: unknown): string {
  const from =
    typeof state === 'object' && state !== null && 'from' in state ? state.from : undefined;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')
    ? from
    : '/customers';
}

export function SignInPage() {
  usePageTitle('Sign in');
  const { token, signIn, endedBecause } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [role, setRole] = useState<StaffRole>('admin');
  const [demo, setDemo] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const target = returnPath(location.state);
  if (token !== null) return <Navigate to={target} replace />;

  const accept = (candidate: string): boolean => {
    const refused = signIn(candidate);
    if (refused !== null) return false;
    void navigate(target, { replace: true });
    return true;
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const refused = signIn(pasted);
    setError(refused ?? undefined);
    if (refused === null) void navigate(target, { replace: true });
  };
  const useDemo = () => {
    setDemo({ busy: true, error: null });
    requestDemoToken(role).then(
      (demoToken) => {
        if (!accept(demoToken)) {
          setDemo({ busy: false, error: 'The server sent a token this console cannot read.' });
        }
      },
      (err: unknown) => {
        setDemo({ busy: false, error: describeError(err) });
      },
    );
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-theme">
        <ThemeToggle />
      </div>
      <div className="card sign-in-card">
        <h1>Sign in to Enhanced CRM</h1>
        {endedBecause && (
          <p className="notice" role="status">
            {endedBecause}
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <Field
            id="token"
            label="Access token"
            error={error}
            hint="Paste the JWT your administrator gave you. It is kept for this tab only."
          >
            <textarea
              rows={4}
              value={pasted}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => {
                setPasted(e.target.value);
              }}
            />
          </Field>
          <button type="submit" className="btn btn-primary btn-block">
            <LogIn aria-hidden="true" size={16} /> Sign in
          </button>
        </form>
        <div className="divider" role="separator">
          or
        </div>
        <div className="demo">
          <Field id="demo-role" label="Demo role">
            <select
              value={role}
              onChange={(e) => {
                const chosen = STAFF_ROLES.find((r) => r === e.target.value);
                if (chosen) setRole(chosen);
              }}
            >
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <button type="button" className="btn btn-block" disabled={demo.busy} onClick={useDemo}>
            <Sparkles aria-hidden="true" size={16} />
            {demo.busy ? 'Getting a demo token…' : 'Use a demo token'}
          </button>
          {demo.error && (
            <p className="field-error" role="alert">
              {demo.error}
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
