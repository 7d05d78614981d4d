/**
 * Paid call-out offers expire on the server, at their `expiresAt`, whatever the customer's
 * conversation does meanwhile (going back to the menu clears the conversation's timers; it
 * must not keep an offer open for ever). Run by the timer worker on every poll: pending
 * offers past their time are marked expired, the ticket's thread and the customer told.
 * Each expiry is one conditional UPDATE (src/services/offers.ts `expireOffer`), so with
 * several processes polling the same database each offer expires, and is announced, once.
 */
import { expireOffer, type OfferSettings } from './offers.js';
import { dueOfferIds } from '../store/offers.js';
import type { PrismaClient } from '../store/types.js';

export interface OfferExpiryDeps {
  prisma: PrismaClient;
  offers: OfferSettings;
  clock: () => Date;
  /** Called when an expiry queued notices (wakes the outbox). */
  onQueued?: () => void;
}

/** Expires the pending offers whose time has come (at most `limit` per round); returns their ids. */
export async function expireDueOffers(deps: OfferExpiryDeps, limit = 50): Promise<string[]> {
  const { prisma, offers, clock } = deps;
  const now = clock();
  const due = await dueOfferIds(prisma, now, limit);
  const expired: string[] = [];
  for (const id of due) {
    if (await prisma.$transaction((tx) => expireOffer(tx, offers, id, now))) expired.push(id);
  }
  if (expired.length) deps.onQueued?.();
  return expired;
}
