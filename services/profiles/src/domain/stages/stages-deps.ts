import type { Db } from '@crm/service-kit';
import type { StagesRepository } from '../../db/stages.repository.js';

/** What the lifecycle stage use cases work with, built once in service.ts. */
export interface StagesDeps {
  db: Db;
  repo: StagesRepository;
  /** Where new customers start (setting default_customer_stage); every list must hold it. */
  defaultStage: string;
}
