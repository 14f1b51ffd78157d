import type { ServiceDefinition } from '@crm/service-kit';
import { InteractionsConfig } from './config.js';
import { BookingsRepository } from './db/bookings.repository.js';
import { interactionsSchema } from './db/schema.js';
import { TimelineRepository } from './db/timeline.repository.js';
import { InteractionRecorder } from './domain/bookings/record-bookingx-fact.js';
import { TimelineReader } from './domain/timeline/get-timeline.js';
import { handlers } from './events/handlers.js';
import { routes } from './http/routes.js';

export interface InteractionsDeps {
  recorder: InteractionRecorder;
  timeline: TimelineReader;
}

export const interactionsService: ServiceDefinition<InteractionsConfig, InteractionsDeps> = {
  name: 'interactions',
  schema: interactionsSchema,
  config: InteractionsConfig,
  defaultPort: 8082,
  build: ({ database, outbox, config }) => {
    const timeline = new TimelineRepository();
    return {
      recorder: new InteractionRecorder(new BookingsRepository(), timeline, outbox, {
        trackBookings: config.TRACK_BOOKINGS,
      }),
      timeline: new TimelineReader(database.db, timeline),
    };
  },
  routes,
  handlers: (deps) => handlers(deps.recorder),
};
