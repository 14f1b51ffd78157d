import { IMPORT_FIELDS } from './import-field-list';

export { IMPORT_FIELDS };
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  email: 'Email',
  phone: 'Phone',
  timezone: 'Time zone',
  locale: 'Language (locale)',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  city: 'City',
  region: 'Region or state',
  postal_code: 'Postal code',
  country: 'Country (2 letters)',
  company_name: 'Company',
  job_title: 'Job title',
  website: 'Website',
  linkedin_url: 'LinkedIn',
  facebook_url: 'Facebook',
  instagram_url: 'Instagram',
  twitter_url: 'X (Twitter)',
  preferred_contact_method: 'Preferred contact method',
  preferred_contact_time: 'Preferred contact time',
  birthday: 'Birthday',
  anniversary: 'Anniversary',
  referral_source: 'Referral source',
  customer_status: 'Status',
  customer_stage: 'Stage',
  vip_status: 'VIP',
  do_not_contact: 'Do not contact',
  owner_id: 'Owner (staff id)',
  team_id: 'Team id',
  tags: 'Tags (separated by |)',
  external_ref: 'BookingX customer id',
};

/** Other names a spreadsheet gives these columns, written as `normalise` leaves them. */
const SYNONYMS: Partial<Record<ImportField, string[]>> = {
  first_name: ['first', 'firstname', 'givenname', 'forename', 'vorname', 'prenom'],
  last_name: ['last', 'lastname', 'surname', 'familyname', 'nachname', 'nom'],
  email: ['email', 'emailaddress', 'mail', 'e-mail'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'cell', 'cellphone', 'telephone', 'tel'],
  timezone: ['timezone', 'tz'],
  locale: ['locale', 'language', 'lang'],
  address_line1: ['address', 'address1', 'addressline1', 'street', 'streetaddress'],
  address_line2: ['address2', 'addressline2'],
  city: ['city', 'town'],
  region: ['region', 'state', 'county', 'province'],
  postal_code: ['postalcode', 'postcode', 'zip', 'zipcode'],
  country: ['country', 'countrycode'],
  company_name: ['company', 'companyname', 'organisation', 'organization', 'business'],
  job_title: ['jobtitle', 'position'],
  website: ['website', 'homepage', 'web'],
  linkedin_url: ['linkedin', 'linkedinurl'],
  facebook_url: ['facebook', 'facebookurl'],
  instagram_url: ['instagram', 'instagramurl'],
  twitter_url: ['twitter', 'twitterurl', 'x'],
  preferred_contact_method: ['preferredcontactmethod', 'contactmethod'],
  preferred_contact_time: ['preferredcontacttime', 'contacttime'],
  birthday: ['birthday', 'birthdate', 'dateofbirth', 'dob'],
  anniversary: ['anniversary'],
  referral_source: ['referralsource', 'referral', 'referredby'],
  customer_status: ['status', 'customerstatus'],
  customer_stage: ['stage', 'customerstage', 'lifecyclestage'],
  vip_status: ['vip', 'vipstatus'],
  do_not_contact: ['donotcontact', 'dnc'],
  owner_id: ['owner', 'ownerid'],
  team_id: ['team', 'teamid'],
  tags: ['tags', 'tag', 'groups', 'labels'],
  external_ref: ['externalref', 'bookingxid', 'bookingxcustomerid', 'bkxid'],
};

/** A custom field a column can fill, as the mapping names it: `custom.<field_name>`. */
export interface CustomTarget {
  name: string;
  label: string;
  required: boolean;
}

/** A column's target: a core field, `custom.<name>`, or '' for a column left out. */
export type Target = ImportField | `custom.${string}` | '';

/** Lower case, accents and everything but letters and digits dropped: "E-Mail " → "email". */
export function normalise(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function candidatesOf(field: ImportField): string[] {
  return [normalise(field), ...(SYNONYMS[field] ?? []).map(normalise)];
}

/**
 * A first mapping from the header alone, since the API offers no guesses: a column whose
 * name is a field's (or a usual other name of it, or a custom field's name or label) fills
 * that field; each field is filled from the first such column only.
 */
export function guessMapping(header: string[], custom: CustomTarget[]): Target[] {
  const taken = new Set<string>();
  return header.map((column) => {
    const key = normalise(column);
    if (key === '') return '';
    const core = IMPORT_FIELDS.find((f) => !taken.has(f) && candidatesOf(f).includes(key));
    const customField = custom.find(
      (c) =>
        !taken.has(`custom.${c.name}`) && (normalise(c.name) === key || normalise(c.label) === key),
    );
    // An exact custom field name beats a synonym of a core field ("source" as a custom field).
    const target: Target =
      customField && (core === undefined || normalise(customField.name) === key)
        ? `custom.${customField.name}`
        : (core ?? '');
    if (target !== '') taken.add(target);
    return target;
  });
}

export function targetLabel(target: string, custom: CustomTarget[]): string {
  if (target.startsWith('custom.')) {
    const name = target.slice('custom.'.length);
    return custom.find((c) => c.name === name)?.label ?? name;
  }
  return (IMPORT_FIELD_LABELS as Record<string, string>)[target] ?? target;
}

/** A problem with the mapping found before sending it, worded as the API words its own. */
export interface MappingProblem {
  /** The column at fault, or null for the mapping as a whole. */
  column: string | null;
  message: string;
}

/** What the API would refuse: first_name or a required custom field unmapped, a field twice. */
export function mappingProblems(
  header: string[],
  targets: Target[],
  custom: CustomTarget[],
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const seen = new Map<string, string>();
  header.forEach((column, i) => {
    const target = targets[i] ?? '';
    if (target === '') return;
    const first = seen.get(target);
    if (first !== undefined) {
      problems.push({
        column,
        message: `${targetLabel(target, custom)} is already filled from “${first}”`,
      });
    } else {
      seen.set(target, column);
    }
  });
  const duplicateHeaders = header.filter((h, i) => header.indexOf(h) !== i);
  for (const column of new Set(duplicateHeaders)) {
    if (header.some((h, i) => h === column && (targets[i] ?? '') !== '')) {
      problems.push({ column, message: `The file has more than one column “${column}”` });
    }
  }
  if (!seen.has('first_name')) {
    problems.push({ column: null, message: 'Choose the column that holds the first name' });
  }
  for (const c of custom) {
    if (c.required && !seen.has(`custom.${c.name}`)) {
      problems.push({
        column: null,
        message: `${c.label} is a required custom field: choose the column that holds it`,
      });
    }
  }
  if (seen.size === 0) problems.push({ column: null, message: 'Map at least one column' });
  return problems;
}

/** The `mapping` the API takes: CSV header → target, columns left out not named. */
export function mappingOf(header: string[], targets: Target[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  header.forEach((column, i) => {
    const target = targets[i] ?? '';
    if (target !== '') mapping[column] = target;
  });
  return mapping;
}
