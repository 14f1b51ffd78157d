import type { TypedEvent } from '@crm/contracts';
import type { HandlerContext } from '@crm/service-kit';
import type { InteractionsDeps } from '../deps.js';
import { projectPayment } from '../domain/projection/project-payment.js';

// One handler for bookingx.payment.captured.v1 and .refunded.v1: a refund is a negative payment.
export function paymentRecorded(
  deps: InteractionsDeps,
  { tx }: HandlerContext,
  event: TypedEvent<'bookingx.payment.captured.v1' | 'bookingx.payment.refunded.v1'>,
): Promise<void> {
  return projectPayment(deps, tx, event);
}
