import type { RelationshipType } from '../../api/types';

/**
 * What the related customer is to this one, in words. Every type the API names: a type added
 * to the contract fails to compile until it is worded here.
 */
export const RELATIONSHIP_LABELS: Record<RelationshipType, string> = {
  spouse: 'Spouse',
  partner: 'Partner',
  parent: 'Parent',
  child: 'Child',
  guardian: 'Guardian',
  ward: 'Ward',
  sibling: 'Sibling',
  friend: 'Friend',
  referred_by: 'Referred this customer',
  referred: 'Was referred by this customer',
  colleague: 'Colleague',
};

export const RELATIONSHIP_TYPES = Object.keys(RELATIONSHIP_LABELS) as RelationshipType[];
