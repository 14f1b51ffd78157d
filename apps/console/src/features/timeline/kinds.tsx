import { createElement } from 'react';
import {
  Activity,
  CalendarDays,
  CheckSquare,
  CreditCard,
  Globe,
  MessageSquare,
  Phone,
  ShoppingBag,
  StickyNote,
  UserRound,
  Users,
  Workflow,
  type LucideIcon,
} from 'lucide-react';
import type { LoggableType, TimelineKind } from '../../api/types';

/** Every kind the API names: a kind added to the contract fails to compile until it is labelled here. */
export const KIND_META: Record<TimelineKind, { label: string; Icon: LucideIcon }> = {
  customer: { label: 'Profile', Icon: UserRound },
  booking: { label: 'Bookings', Icon: CalendarDays },
  payment: { label: 'Payments', Icon: CreditCard },
  purchase: { label: 'Purchases', Icon: ShoppingBag },
  interaction: { label: 'Interactions', Icon: Phone },
  visit: { label: 'Website visits', Icon: Globe },
  note: { label: 'Notes', Icon: StickyNote },
  task: { label: 'Tasks', Icon: CheckSquare },
  message: { label: 'Messages', Icon: MessageSquare },
  segment: { label: 'Segments', Icon: Users },
  workflow: { label: 'Workflows', Icon: Workflow },
};

export const KINDS = Object.keys(KIND_META) as TimelineKind[];

/** The kind's icon, decorative: the kind is also said in words beside it. */
export function KindIcon({ kind, size = 16 }: { kind: string; size?: number }) {
  const Icon = kind in KIND_META ? KIND_META[kind as TimelineKind].Icon : Activity;
  return createElement(Icon, { size, 'aria-hidden': true });
}

/** What staff may log by hand, labelled; the same compile-time check as the kinds. */
export const LOGGABLE_LABELS: Record<LoggableType, string> = {
  call: 'Call',
  walk_in: 'Walk-in',
  email: 'Email',
  sms: 'SMS',
  chat: 'Chat',
  social: 'Social media',
  support_ticket: 'Support ticket',
};
export const LOGGABLE_TYPES = Object.keys(LOGGABLE_LABELS) as LoggableType[];
