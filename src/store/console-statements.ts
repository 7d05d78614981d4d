/** What the operator console's statements page reads beyond the statements service: the customers to choose from. */
import type { DbClient } from './types.js';

/** Every customer's contract number and name, by contract number. */
export async function customerChoices(db: DbClient): Promise<Array<{ contractNumber: string; name: string }>> {
  return db.customer.findMany({ select: { contractNumber: true, name: true }, orderBy: { contractNumber: 'asc' } });
}
