import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './auth/session';
import { CustomerListPage } from './features/customers/CustomerListPage';
import { CustomerProfilePage } from './features/customer-profile/CustomerProfilePage';
import { DuplicatesPage } from './features/duplicates/DuplicatesPage';
import { MergePage } from './features/duplicates/MergePage';
import { ImportPage } from './features/imports/ImportPage';
import { ImportsPage } from './features/imports/ImportsPage';
import { NewImportPage } from './features/imports/NewImportPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { AppShell } from './features/shell/AppShell';
import { SignInPage } from './features/sign-in/SignInPage';
import { Empty } from './ui/feedback';

function RequireSession() {
  const { token } = useSession();
  const location = useLocation();
  if (token === null) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <AppShell />;
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<Navigate to="/customers" replace />} />
        <Route path="/customers" element={<CustomerListPage />} />
        <Route path="/customers/:id" element={<CustomerProfilePage />} />
        <Route path="/imports" element={<ImportsPage />} />
        <Route path="/imports/new" element={<NewImportPage />} />
        <Route path="/imports/:id" element={<ImportPage />} />
        <Route path="/duplicates" element={<DuplicatesPage />} />
        <Route path="/duplicates/merge" element={<MergePage />} />
        <Route path="/settings/*" element={<SettingsPage />} />
        <Route
          path="*"
          element={
            <section className="page">
              <Empty title="There is no page here">
                <p>Use the navigation above.</p>
              </Empty>
            </section>
          }
        />
      </Route>
    </Routes>
  );
}
