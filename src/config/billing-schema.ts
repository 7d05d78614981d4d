/**
 * The `billing` section of the configuration (docs/billing.md, "Prices"), and the keys of a tier
 * that say how long a plan lasts. Every key is documented in linka.config.example.yaml.
 *
 * The price list is `rates` (each an hourly price and a billing increment), the `defaultRate` of
 * work logged without one, `travel` (the rate of travel time, or null; a flat amount per visit;
 * an amount per km) and the prepaid `packages` a customer can buy. The older keys still work:
 * `hourlyRate` and `incrementMinutes` are one rate, `technician`, for work and travel, and
 * `travelFee` is `travel.perVisit`. A file with neither gets the built-in price list, the
 * telecom operator's: a technician's hour 1 000 CZK, a consultant's 1 500 CZK, per 15 minutes.
 */
import { z } from 'zod';

const money = z.number('an amount in minor units, such as 100000 for 1 000,00 CZK').int('a whole number of minor units').nonnegative();
const DIVIDES = 'minutes that divide the hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60';
const increment = z
  .number(DIVIDES)
  .int(DIVIDES)
  .refine((n) => n >= 1 && n <= 60 && 60 % n === 0, DIVIDES);
const rateName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,29}$/, 'a rate name of letters, digits, _ or -, starting with a letter');
const packageName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/, 'a package name of letters, digits, _, . or -');
const text = z.string().trim().min(1);
const perLanguage = z.union([text, z.strictObject({ cs: text, sk: text.optional(), en: text.optional() })]);

const rate = z.strictObject({
  /** Price of one hour, in minor units. */
  hourlyRate: money,
  /** Work at this rate is billed in started blocks of this many minutes per case. */
  incrementMinutes: increment.default(15),
  /** The rate's name in quotes and statements; default: the catalogue's word for technician and consultant, else the name. */
  label: perLanguage.optional(),
});

/** The built-in price list: the telecom operator's (docs/domain.md, "Free help and paid call-outs"). */
export const BUILT_IN_RATES = {
  technician: { hourlyRate: 100_000, incrementMinutes: 15 },
  consultant: { hourlyRate: 150_000, incrementMinutes: 15 },
};

export const billingSchema = z
  .strictObject({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CZK or EUR')
      .default('CZK'),
    /** The older form of one rate: its price per hour (with `incrementMinutes`). */
    hourlyRate: money.optional(),
    incrementMinutes: z.union([z.literal(15), z.literal(30)]).optional(),
    /** The older name of `travel.perVisit`. */
    travelFee: money.optional(),
    rates: z.record(rateName, rate).optional(),
    defaultRate: rateName.optional(),
    travel: z
      .strictObject({
        /** The rate travel time is billed at; null: travel time is not charged. Default: the default rate. */
        rate: rateName.nullable().optional(),
        /** Flat, once per case with billable travel (a visit), in minor units. */
        perVisit: money.optional(),
        /** Per kilometre the technician gives ("cesta 35km:"), in minor units. */
        perKm: money.default(0),
      })
      .optional(),
    /** Prepaid hours a customer can buy (`linka packages import`). */
    packages: z
      .record(
        packageName,
        z.strictObject({
          /** Hours of work; used after the month's included hours, before anything is billed. */
          hours: z
            .number()
            .positive()
            .refine((h) => Number.isInteger(h * 60), 'whole minutes, such as 4 or 1.5'),
          /** The price, in minor units (shown on the statement; the purchase is invoiced by your accounting). */
          price: money,
          /** The package can be used this many months from the day it was bought; null: until used up. */
          validMonths: z.number().int().positive().nullable().default(null),
        }),
      )
      .default({}),
    /**
     * The VAT sentence of offers and statements: one text for every language, or one per
     * language ({ cs, sk, en }; a missing language falls back to Czech).
     */
    vatNote: z
      .union([z.string().min(1), z.strictObject({ cs: z.string().min(1), sk: z.string().min(1).optional(), en: z.string().min(1).optional() })])
      .default({ cs: 'Ceny jsou uvedeny bez DPH.', sk: 'Ceny sú uvedené bez DPH.', en: 'Prices exclude VAT.' }),
    vatRatePercent: z.number().min(0).max(100).default(21),
  })
  .superRefine((b, ctx) => {
    const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (b.rates !== undefined) {
      for (const key of ['hourlyRate', 'incrementMinutes'] as const)
        if (b[key] !== undefined) issue([key], `${key} is the older form of a single rate; with rates, give each rate its own hourlyRate and incrementMinutes`);
      if (Object.keys(b.rates).length === 0) issue(['rates'], 'at least one rate, such as technician: { hourlyRate: 100000, incrementMinutes: 15 }');
    }
    if (b.travelFee !== undefined && b.travel?.perVisit !== undefined)
      issue(['travelFee'], 'travelFee is the older name of travel.perVisit; keep travel.perVisit');
    const names = Object.keys(ratesOf(b));
    const unknown = (name: string) => `no rate "${name}" in billing.rates (rates: ${names.join(', ')})`;
    if (b.defaultRate !== undefined && !names.includes(b.defaultRate)) issue(['defaultRate'], unknown(b.defaultRate));
    const travelRate = b.travel?.rate;
    if (travelRate != null && !names.includes(travelRate)) issue(['travel', 'rate'], unknown(travelRate));
  })
  .transform((b) => {
    const rates = ratesOf(b);
    const defaultRate = b.defaultRate ?? ('technician' in rates ? 'technician' : (Object.keys(rates)[0] ?? 'technician'));
    return {
      currency: b.currency,
      rates,
      defaultRate,
      travel: {
        rate: b.travel?.rate === undefined ? defaultRate : b.travel.rate,
        perVisit: b.travel?.perVisit ?? b.travelFee ?? 0,
        perKm: b.travel?.perKm ?? 0,
      },
      packages: b.packages,
      vatNote: b.vatNote,
      vatRatePercent: b.vatRatePercent,
    };
  });

/** The rates a billing section prices with: its own, the older single rate, or the built-in ones. */
function ratesOf(b: { rates?: Record<string, z.infer<typeof rate>>; hourlyRate?: number; incrementMinutes?: 15 | 30 }): Record<string, z.infer<typeof rate>> {
  if (b.rates !== undefined) return b.rates;
  if (b.hourlyRate !== undefined || b.incrementMinutes !== undefined)
    return { technician: { hourlyRate: b.hourlyRate ?? BUILT_IN_RATES.technician.hourlyRate, incrementMinutes: b.incrementMinutes ?? 15 } };
  return structuredClone(BUILT_IN_RATES);
}

/** The validated billing section. */
export type BillingConfig = z.output<typeof billingSchema>;

/**
 * The keys of a tier that say how long a customer's plan lasts (src/domain/entitlement.ts); both
 * optional, counted from the customer's `plan_start`.
 */
export const tierTermShape = {
  /** The plan's name for customers ("HOTLINE START"): one text, or one per language; default: the tier's name. */
  label: perLanguage.optional(),
  /** The plan lasts this many months from its start (the customer's plan_start), unless plan_end says otherwise. */
  termMonths: z.number().int().positive().nullable().optional(),
  /** The customer committed to at least this many months from the start: shown to the operator, never enforced. */
  minimumTermMonths: z.number().int().positive().nullable().optional(),
};
