/**
 * A customer's notice channel over HTTP (docs/email.md, "The channel preference"), behind
 * `Authorization: Bearer $LINKA_API_TOKEN`:
 *   PUT /api/customers/:contract/notice-channel   {"noticeChannel": "email", "email": "jana@example.cz"}
 * `noticeChannel`: telegram, sms, email, or null (none chosen: Telegram, else SMS); `email`
 * (optional): the customer's address, null to remove it. E-mail needs an address, given or on
 * record. Answers 200 with what is stored, 400 naming each bad field, 404 for an unknown contract.
 */
import { z } from 'zod';
import { NOTICE_CHANNELS, parseCustomerEmail } from '../../domain/notice-channel.js';
import { customerByContract, setNoticeChannel } from '../../store/customers.js';
import type { PrismaClient } from '../../store/types.js';
import { json, type HttpResponse, type Route, type RouteRequest } from '../http.js';
import { badRequest, parseBody } from './common.js';

/** The body of PUT /api/customers/:contract/notice-channel. */
export const noticeChannelSchema = z.strictObject({
  noticeChannel: z.enum(NOTICE_CHANNELS, { error: `expected one of ${NOTICE_CHANNELS.join(', ')}, or null` }).nullable(),
  email: z
    .string()
    .max(320, 'at most 320 characters')
    .transform((v, ctx) => {
      const address = parseCustomerEmail(v);
      if (address === undefined) ctx.addIssue({ code: 'custom', message: 'not one e-mail address (such as jana@example.cz)' });
      return address ?? null;
    })
    .nullable()
    .optional(),
});

export function customerRoutes(deps: { prisma: PrismaClient; guard: (r: RouteRequest) => HttpResponse | null }): Route[] {
  return [
    {
      method: 'PUT',
      path: '/api/customers/:contract/notice-channel',
      handler: async (r) => {
        const denied = deps.guard(r);
        if (denied) return denied;
        const body = parseBody(r, noticeChannelSchema);
        if (!body.ok) return body.answer;
        const contract = r.params.contract ?? '';
        const customer = await customerByContract(deps.prisma, contract);
        if (!customer) return json(404, { error: `no customer with contract number "${contract}"` });
        const email = body.value.email === undefined ? customer.email : body.value.email;
        if (body.value.noticeChannel === 'email' && !email)
          return badRequest([{ path: 'email', message: 'notices by e-mail need an address: give "email", or import one first' }]);
        const saved = await setNoticeChannel(deps.prisma, customer.id, { noticeChannel: body.value.noticeChannel, email: email ?? null });
        return json(200, { contract: customer.contractNumber, noticeChannel: saved.noticeChannel, email: saved.email });
      },
    },
  ];
}
