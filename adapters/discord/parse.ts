/**
 * Discord interaction JSON -> what Linka does with it. Technician ids are
 * "discord:<user id>"; button ids are "linka:<action>:<ticket number>". No business
 * decisions here: the queue makes them.
 */
import type { CardAction } from '../../src/domain/ticket-card.js';

/** Who clicked or typed: the Discord user, their display name and their roles in the guild. */
export interface DiscordActor {
  userId: string;
  /** The server nickname, else the global display name, else the username. */
  name: string;
  roles: string[];
}

export type ParsedInteraction =
  | { kind: 'ping' }
  | { kind: 'button'; id: string; actor: DiscordActor | null; action: CardAction; number: string }
  | {
      kind: 'command';
      id: string;
      actor: DiscordActor | null;
      channelId: string | null;
      name: string;
      group: string | null;
      sub: string | null;
      options: Record<string, string>;
    }
  /** A well-formed interaction Linka has no use for (someone else's button, a modal...). */
  | { kind: 'unsupported'; id: string; type: number; what: string }
  | { kind: 'invalid'; reason: string };

/** Interaction types (Discord API v10). */
const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
/** Application command option types. */
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

const ACTIONS: readonly CardAction[] = ['claim', 'release', 'resolve', 'offer'];
const CUSTOM_ID_RE = /^linka:(claim|release|resolve|offer):(\S{1,80})$/;

/** The technician id of a Discord user. */
export function discordTechnicianId(userId: string): string {
  return `discord:${userId}`;
}

/** A card button's custom_id (Discord allows 100 characters). */
export function customIdOf(action: CardAction, number: string): string {
  return `linka:${action}:${number}`;
}

/** The action and ticket of a card button's custom_id, or null when it is not Linka's. */
export function parseCustomId(customId: string): { action: CardAction; number: string } | null {
  const m = CUSTOM_ID_RE.exec(customId);
  if (!m || !ACTIONS.includes(m[1] as CardAction)) return null;
  return { action: m[1] as CardAction, number: m[2] as string };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function actorOf(body: Json): DiscordActor | null {
  const member = isObject(body.member) ? body.member : null;
  const user = isObject(member?.user) ? member.user : isObject(body.user) ? body.user : null;
  const userId = str(user?.id);
  if (!user || !userId) return null;
  const name = str(member?.nick) ?? str(user.global_name) ?? str(user.username) ?? userId;
  const roles = Array.isArray(member?.roles) ? member.roles.filter((r): r is string => typeof r === 'string') : [];
  return { userId, name, roles };
}

/** Flattens a slash command's options: the group's and sub-command's names and the options' values as text. */
function commandOf(data: Json): { name: string; group: string | null; sub: string | null; options: Record<string, string> } {
  const name = str(data.name) ?? '';
  const objects = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
  const groupOption = objects(data.options).find((o) => o.type === SUB_COMMAND_GROUP);
  const top = groupOption ? objects(groupOption.options) : objects(data.options);
  const subOption = top.find((o) => o.type === SUB_COMMAND);
  const values = subOption ? (Array.isArray(subOption.options) ? subOption.options.filter(isObject) : []) : top;
  const options: Record<string, string> = {};
  for (const o of values) {
    const key = str(o.name);
    if (key && (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean')) options[key] = String(o.value).trim();
  }
  return { name, group: groupOption ? str(groupOption.name) : null, sub: subOption ? str(subOption.name) : null, options };
}

/** Reads an interaction; `invalid` when it is not one (the endpoint answers 400). */
export function parseInteraction(body: unknown): ParsedInteraction {
  if (!isObject(body) || typeof body.type !== 'number') return { kind: 'invalid', reason: 'not a Discord interaction (no type)' };
  if (body.type === PING) return { kind: 'ping' };
  const id = str(body.id);
  if (!id) return { kind: 'invalid', reason: 'interaction without an id' };
  const data = isObject(body.data) ? body.data : {};
  const actor = actorOf(body);
  if (body.type === MESSAGE_COMPONENT) {
    const customId = str(data.custom_id) ?? '';
    const parsed = parseCustomId(customId);
    return parsed ? { kind: 'button', id, actor, ...parsed } : { kind: 'unsupported', id, type: body.type, what: customId };
  }
  if (body.type === APPLICATION_COMMAND) {
    const channel = isObject(body.channel) ? str(body.channel.id) : null;
    return { kind: 'command', id, actor, channelId: channel ?? str(body.channel_id), ...commandOf(data) };
  }
  return { kind: 'unsupported', id, type: body.type, what: `interaction type ${body.type}` };
}
