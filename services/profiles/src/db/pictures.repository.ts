import type { Executor } from '@crm/service-kit';
import { and, eq } from 'drizzle-orm';
import { customerPictures as p } from './schema.js';

export type PictureRow = typeof p.$inferSelect;

export class PicturesRepository {
  async find(db: Executor, tenantId: string, customerId: string): Promise<PictureRow | null> {
    const [row] = await db
      .select()
      .from(p)
      .where(and(eq(p.tenantId, tenantId), eq(p.customerId, customerId)));
    return row ?? null;
  }

  async put(db: Executor, row: typeof p.$inferInsert): Promise<void> {
    await db
      .insert(p)
      .values(row)
      .onConflictDoUpdate({
        target: [p.tenantId, p.customerId],
        set: {
          content: row.content,
          contentType: row.contentType,
          width: row.width,
          height: row.height,
          sha256: row.sha256,
          uploadedAt: new Date(),
        },
      });
  }

  /** True when there was a picture to remove. */
  async delete(db: Executor, tenantId: string, customerId: string): Promise<boolean> {
    const gone = await db
      .delete(p)
      .where(and(eq(p.tenantId, tenantId), eq(p.customerId, customerId)))
      .returning({ id: p.customerId });
    return gone.length > 0;
  }
}
