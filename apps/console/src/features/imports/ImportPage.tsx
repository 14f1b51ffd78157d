import { ArrowLeft } from 'lucide-react';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth/session';
import { NotAllowed } from '../../ui/NotAllowed';
import { usePageTitle } from '../../ui/page-title';
import { ImportReport } from './ImportReport';
import { useCustomTargets } from './queries';

/** One import: its progress while it runs, then its counts and error report. */
export function ImportPage() {
  usePageTitle('Import');
  const { id = '' } = useParams();
  const { can } = useSession();
  const allowed = can('getCustomerImport');
  const fields = useCustomTargets(allowed && can('listCustomFields'));
  if (!allowed) return <NotAllowed what="see customer imports" />;
  return (
    <section className="page">
      <Link to="/imports" className="back-link">
        <ArrowLeft aria-hidden="true" size={16} /> All imports
      </Link>
      <ImportReport id={id} custom={fields.data ?? []} headingLevel={1} />
    </section>
  );
}
