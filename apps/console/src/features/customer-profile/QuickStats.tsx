import { useFormat } from '../../ui/format';
import { useEngagement, useLastVisit, useRevenue } from './queries';

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const pending = <span className="muted">…</span>;
const unavailable = <span className="muted">Not available</span>;

export function QuickStats({ customerId }: { customerId: string }) {
  const format = useFormat();
  const engagement = useEngagement(customerId);
  const revenue = useRevenue(customerId);
  const lastVisit = useLastVisit(customerId);
  return (
    <dl className="stats" aria-label="Quick stats">
      <Stat label="Bookings">
        {engagement.isPending
          ? pending
          : engagement.isError
            ? unavailable
            : format.number(engagement.data.bookings)}
      </Stat>
      <Stat label="Revenue">
        {revenue.isPending
          ? pending
          : revenue.isError
            ? unavailable
            : revenue.data.totals.length === 0
              ? format.number(0)
              : `${revenue.data.complete ? '' : 'over '}${revenue.data.totals.map(format.money).join(' + ')}`}
      </Stat>
      <Stat label="Last visit">
        {lastVisit.isPending ? (
          pending
        ) : lastVisit.isError ? (
          unavailable
        ) : lastVisit.data ? (
          <time dateTime={lastVisit.data} title={format.dateTime(lastVisit.data)}>
            {format.date(lastVisit.data)}
          </time>
        ) : (
          <span className="muted">Never</span>
        )}
      </Stat>
      <Stat label="Engagement">
        {engagement.isPending ? (
          pending
        ) : engagement.isError ? (
          unavailable
        ) : engagement.data.last_engaged_at ? (
          format.relative(engagement.data.last_engaged_at)
        ) : (
          <span className="muted">None yet</span>
        )}
      </Stat>
    </dl>
  );
}
