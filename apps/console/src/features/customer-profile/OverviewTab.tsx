import type { Customer } from '../../api/types';
import { useFormat } from '../../ui/format';
import { MemberName } from '../pickers/MemberPicker';
import { showValue } from '../custom-fields/field-values';
import { useCustomFields } from '../custom-fields/queries';

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const none = <span className="muted">—</span>;

/** The tenant's active custom fields in their order, with this customer's values. */
function CustomFieldsCard({ customer }: { customer: Customer }) {
  const format = useFormat();
  const definitions = useCustomFields();
  if (definitions.isPending || definitions.data?.length === 0) return null;
  return (
    <section className="card" aria-labelledby="custom-fields-heading">
      <h2 id="custom-fields-heading">Custom fields</h2>
      {definitions.isError ? (
        <p className="muted">The custom fields could not be loaded.</p>
      ) : (
        <dl className="details">
          {definitions.data.map((def) => (
            <Row key={def.id} term={def.field_label}>
              {showValue(def, customer.custom_fields?.[def.field_name], format) ?? none}
            </Row>
          ))}
        </dl>
      )}
    </section>
  );
}

export function OverviewTab({ customer }: { customer: Customer }) {
  const format = useFormat();
  const prefs = customer.preferences;
  const favourites = [...(prefs?.favorite_services ?? [])];
  return (
    <div className="overview">
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <Row term="Birthday">{customer.birthday ? format.date(customer.birthday) : none}</Row>
          <Row term="Anniversary">
            {customer.anniversary ? format.date(customer.anniversary) : none}
          </Row>
          <Row term="Preferred contact">
            {customer.preferred_contact_method ?? none}
            {customer.preferred_contact_time ? `, ${customer.preferred_contact_time}` : ''}
          </Row>
          <Row term="Time zone">{customer.timezone ?? none}</Row>
          <Row term="Language">{customer.locale ?? none}</Row>
          <Row term="Referral source">{customer.referral_source ?? none}</Row>
          <Row term="Source">
            {customer.source === 'bookingx' ? 'BookingX' : 'Added in the CRM'}
          </Row>
          <Row term="Owner">{customer.owner_id ? <MemberName id={customer.owner_id} /> : none}</Row>
          <Row term="Collaborators">
            {(customer.collaborator_ids ?? []).length > 0
              ? (customer.collaborator_ids ?? []).map((id, i) => (
                  <span key={id}>
                    {i > 0 && ', '}
                    <MemberName id={id} />
                  </span>
                ))
              : none}
          </Row>
          <Row term="Customer since">{format.date(customer.created_at)}</Row>
          <Row term="Last changed">{format.dateTime(customer.updated_at)}</Row>
        </dl>
      </section>
      <section className="card" aria-labelledby="prefs-heading">
        <h2 id="prefs-heading">Preferences</h2>
        <dl className="details">
          <Row term="Favourite services">
            {favourites.length > 0 ? favourites.join(', ') : none}
          </Row>
          <Row term="Preferred times">
            {(prefs?.preferred_times_of_day ?? []).join(', ') || none}
          </Row>
          <Row term="Preferred days">{(prefs?.preferred_days ?? []).join(', ') || none}</Row>
          <Row term="Notes">{prefs?.notes ?? none}</Row>
        </dl>
      </section>
      <CustomFieldsCard customer={customer} />
    </div>
  );
}
