import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/problem';
import { useSession } from '../../auth/session';
import type { OperationId } from '../../api/generated/operation-roles';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { usePageTitle } from '../../ui/page-title';
import { Tabs } from '../../ui/Tabs';
import { useStages } from '../customers/queries';
import { AuditTab } from '../audit/AuditTab';
import { ConsentTab } from '../consent/ConsentTab';
import { OpportunitiesTab } from '../opportunities/OpportunitiesTab';
import { RelationshipsTab } from '../relationships/RelationshipsTab';
import { TimelineTab } from '../timeline/TimelineTab';
import { timelineKey } from '../timeline/queries';
import { EditCustomerForm } from './EditCustomerForm';
import { OverviewTab } from './OverviewTab';
import { ProfileHeader } from './ProfileHeader';
import { QuickStats } from './QuickStats';
import { useCustomer } from './queries';

type TabKey = 'overview' | 'timeline' | 'relationships' | 'consent' | 'opportunities' | 'audit';
/** Each tab with the operation that reads it: a role that may not call it does not see the tab. */
const TABS: { key: TabKey; label: string; reads: OperationId }[] = [
  { key: 'overview', label: 'Overview', reads: 'getCustomer' },
  { key: 'timeline', label: 'Timeline', reads: 'getCustomerTimeline' },
  { key: 'relationships', label: 'Relationships', reads: 'listCustomerRelationships' },
  { key: 'consent', label: 'Consent', reads: 'getCustomerConsent' },
  { key: 'opportunities', label: 'Opportunities', reads: 'listCustomerOpportunities' },
  { key: 'audit', label: 'Audit', reads: 'listCustomerAudit' },
];
// How long the timeline is polled often after a change made here: its entry comes through the bus.
const EXPECT_CHANGE_MS = 20_000;

export function CustomerProfilePage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const customer = useCustomer(id);
  const stages = useStages();
  const [tab, setTab] = useState<TabKey>('overview');
  const [editing, setEditing] = useState(false);
  const [expectingSince, setExpectingSince] = useState<number | null>(null);
  const name = customer.data
    ? `${customer.data.data.first_name} ${customer.data.data.last_name}`.trim()
    : 'Customer';
  usePageTitle(name);

  useEffect(() => {
    if (expectingSince === null) return;
    const timer = setTimeout(() => {
      setExpectingSince(null);
    }, EXPECT_CHANGE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [expectingSince]);

  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: timelineKey(id) });
    void queryClient.invalidateQueries({ queryKey: ['engagement', id] });
    setExpectingSince(Date.now());
  };

  if (customer.isPending) return <Loading label="Loading the customer…" />;
  if (customer.isError) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <section className="page">
        <Link to="/customers" className="back-link">
          <ArrowLeft aria-hidden="true" size={16} /> All customers
        </Link>
        <ErrorMessage
          title={missing ? 'No such customer' : 'The customer could not be loaded'}
          error={customer.error}
          {...(missing ? {} : { onRetry: () => void customer.refetch() })}
        />
      </section>
    );
  }
  const { data, etag } = customer.data;
  const stageLabel =
    stages.data?.find((s) => s.key === data.customer_stage)?.label ?? data.customer_stage;
  const tabs = TABS.filter((t) => can(t.reads));
  const shown = tabs.some((t) => t.key === tab) ? tab : 'overview';

  return (
    <section className="page" aria-labelledby="page-title">
      <Link to="/customers" className="back-link">
        <ArrowLeft aria-hidden="true" size={16} /> All customers
      </Link>
      <ProfileHeader
        customer={data}
        stageLabel={stageLabel}
        onEdit={
          can('updateCustomer') && !editing
            ? () => {
                setEditing(true);
              }
            : null
        }
      />
      {editing && (
        <EditCustomerForm
          customer={data}
          etag={etag}
          stages={stages.data ?? []}
          onDone={() => {
            setEditing(false);
          }}
          onSaved={changed}
          onReload={async () => (await customer.refetch()).data?.data}
        />
      )}
      <QuickStats customerId={id} />
      <Tabs
        label="Customer sections"
        tabs={tabs}
        selected={shown}
        onSelect={setTab}
        idPrefix="profile"
      >
        {shown === 'overview' && <OverviewTab customer={data} />}
        {shown === 'timeline' && (
          <TimelineTab
            customerId={id}
            expectingChange={expectingSince !== null}
            onChangeExpected={changed}
          />
        )}
        {shown === 'relationships' && <RelationshipsTab customer={data} onChanged={changed} />}
        {shown === 'consent' && <ConsentTab customer={data} />}
        {shown === 'opportunities' && <OpportunitiesTab customerId={id} />}
        {shown === 'audit' && <AuditTab customerId={id} />}
      </Tabs>
    </section>
  );
}
