import { Building2, Mail, MapPin, Pencil, Phone, Star } from 'lucide-react';
import type { Customer } from '../../api/types';
import { Avatar } from '../../ui/Avatar';
import { Badge, StatusBadge } from '../../ui/Badge';

export function ProfileHeader({
  customer,
  stageLabel,
  onEdit,
}: {
  customer: Customer;
  stageLabel: string;
  onEdit: (() => void) | null;
}) {
  const name = `${customer.first_name} ${customer.last_name}`.trim();
  const place = [customer.address?.city, customer.address?.country].filter(Boolean).join(', ');
  return (
    <header className="profile-header">
      <Avatar
        first={customer.first_name}
        last={customer.last_name}
        url={customer.profile_picture_url}
        size="lg"
      />
      <div className="profile-identity">
        <div className="profile-title">
          <h1 id="page-title">{name}</h1>
          {customer.vip_status && (
            <Badge tone="vip">
              <Star aria-hidden="true" size={12} /> VIP
            </Badge>
          )}
        </div>
        <p className="profile-badges">
          <StatusBadge status={customer.customer_status} />
          <Badge tone="info">
            <span className="visually-hidden">Stage: </span>
            {stageLabel}
          </Badge>
          {customer.do_not_contact && <Badge tone="bad">Do not contact</Badge>}
        </p>
        {(customer.tags ?? []).length > 0 && (
          <ul className="tag-list" aria-label="Tags">
            {(customer.tags ?? []).map((tag) => (
              <li key={tag} className="tag">
                {tag}
              </li>
            ))}
          </ul>
        )}
        <ul className="contact-list" aria-label="Contact details">
          <li>
            <Mail aria-hidden="true" size={16} />
            {customer.email ? (
              <a href={`mailto:${customer.email}`}>{customer.email}</a>
            ) : (
              <span className="muted">No email</span>
            )}
          </li>
          <li>
            <Phone aria-hidden="true" size={16} />
            {customer.phone ? (
              <a href={`tel:${customer.phone}`}>{customer.phone}</a>
            ) : (
              <span className="muted">No phone</span>
            )}
          </li>
          {(customer.company_name ?? customer.job_title) && (
            <li>
              <Building2 aria-hidden="true" size={16} />
              {[customer.job_title, customer.company_name].filter(Boolean).join(', ')}
            </li>
          )}
          {place && (
            <li>
              <MapPin aria-hidden="true" size={16} />
              {place}
            </li>
          )}
        </ul>
      </div>
      {onEdit && (
        <button type="button" className="btn" onClick={onEdit}>
          <Pencil aria-hidden="true" size={16} /> Edit
        </button>
      )}
    </header>
  );
}
