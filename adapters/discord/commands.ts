/**
 * The `/linka` slash command as Discord registers it (`linka discord register-commands`),
 * and its sub-commands. The ticket option may be left out inside a ticket's thread.
 * Descriptions: English with a Czech localisation (Discord has no Slovak locale).
 */
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { WORK_CATEGORIES } from '../../src/domain/billing.js';

/** Application command option types and contexts (Discord API v10). */
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const STRING = 3;
const BOOLEAN = 5;
const CHAT_INPUT = 1;
const GUILD_CONTEXT = 0;
const GUILD_INSTALL = 0;

/** The sub-commands of /linka, in the order Discord lists them. */
export const SUB_COMMANDS = ['queue', 'ticket', 'claim', 'release', 'resolve', 'note', 'time', 'reply', 'visit', 'category', 'emergency', 'help'] as const;
export type SubCommand = (typeof SUB_COMMANDS)[number];
/** The sub-command groups of /linka: `/linka outage start|update|resolve|list`. */
export const SUB_COMMAND_GROUPS = ['outage'] as const;

const text = (name: string, en: string, cs: string, required: boolean, max = 1800) => ({
  type: STRING,
  name,
  description: en,
  description_localizations: { cs },
  required,
  max_length: max,
});
const ticket = text(
  'ticket',
  'Ticket number, e.g. T-2026-00042 (not needed in its thread)',
  'Číslo požadavku, např. T-2026-00042 (ve vlákně požadavku není třeba)',
  false,
  40,
);

const sub = (name: SubCommand, en: string, cs: string, options: object[] = []) => ({
  type: SUB_COMMAND,
  name,
  description: en,
  description_localizations: { cs },
  options,
});

/** `/linka outage ...`: declare, update, resolve and list outages. */
const outageId = text('outage', 'The outage id (/linka outage list shows it)', 'Id výpadku (ukáže ho /linka outage list)', true, 60);
const eta = text(
  'eta',
  'Expected end, local time, e.g. 2026-11-24 14:30 ("-" clears it)',
  'Předpokládaný konec, místní čas, např. 2026-11-24 14:30 („-“ ho smaže)',
  false,
  40,
);
const outageSub = (name: string, en: string, cs: string, options: object[] = []) => ({
  type: SUB_COMMAND,
  name,
  description: en,
  description_localizations: { cs },
  options,
});
const OUTAGE_GROUP = {
  type: SUB_COMMAND_GROUP,
  name: 'outage',
  description: 'Outages: declare, update, resolve, list',
  description_localizations: { cs: 'Výpadky: vyhlásit, upravit, vyřešit, vypsat' },
  options: [
    outageSub('start', 'Declare an outage; affected customers are notified', 'Vyhlásit výpadek; dotčení zákazníci dostanou upozornění', [
      text(
        'areas',
        'Areas, comma-separated, e.g. Plzeň-Bory, Doubravka ("Plzeň*" covers all Plzeň areas)',
        'Oblasti oddělené čárkou, např. Plzeň-Bory, Doubravka („Plzeň*“ pokryje všechny plzeňské)',
        true,
        500,
      ),
      text('title', 'A title customers see, e.g. Fibre cut in Bory', 'Název, který uvidí zákazníci, např. Přerušené vlákno na Borech', false, 200),
      eta,
    ]),
    outageSub('update', "Change an outage's status or expected end", 'Změnit stav nebo předpokládaný konec výpadku', [
      outageId,
      {
        type: STRING,
        name: 'status',
        description: 'The new status',
        description_localizations: { cs: 'Nový stav' },
        required: false,
        choices: ['investigating', 'identified', 'monitoring', 'resolved'].map((v) => ({ name: v, value: v })),
      },
      eta,
    ]),
    outageSub('resolve', 'Resolve an outage; everyone told gets the all-clear', 'Vyřešit výpadek; všichni upozornění dostanou zprávu o opravě', [outageId]),
    outageSub('list', 'Outages in progress', 'Probíhající výpadky'),
  ],
};

/** The /linka command's registration body. */
export const LINKA_COMMAND = {
  name: 'linka',
  type: CHAT_INPUT,
  description: 'Linka ticket queue',
  description_localizations: { cs: 'Fronta požadavků Linky' },
  contexts: [GUILD_CONTEXT],
  integration_types: [GUILD_INSTALL],
  options: [
    sub('queue', 'Open tickets, most urgent first', 'Otevřené požadavky, nejnaléhavější první'),
    sub('ticket', 'A ticket and its whole history, shown only to you', 'Požadavek a celá jeho historie, vidíte jen vy', [ticket]),
    sub('claim', 'Claim a ticket', 'Převzít požadavek', [ticket]),
    sub('release', 'Return a ticket to the queue', 'Vrátit požadavek do fronty', [ticket]),
    sub('resolve', 'Mark a ticket resolved (the note goes to the customer)', 'Označit požadavek jako vyřešený (poznámka jde zákazníkovi)', [
      text('note', 'What was done, for the customer', 'Co se udělalo, pro zákazníka', false),
      ticket,
    ]),
    sub('note', 'Internal note (the customer does not see it)', 'Interní poznámka (zákazník ji neuvidí)', [
      text('text', 'The note', 'Text poznámky', true),
      ticket,
    ]),
    sub('time', 'Log time spent on a ticket', 'Zapsat čas strávený na požadavku', [
      text('duration', 'e.g. 45m, 1h, 1h30m, 1:30; a bare number is minutes (90)', 'např. 45m, 1h, 1h30m, 1:30; samotné číslo jsou minuty (90)', true, 10),
      text(
        'text',
        'What you did; may start with a day (2026-11-30), travel: or travel 35km:, free:, consultant:',
        'Co jste dělal(a); na začátku den (2026-11-30), cesta: nebo cesta 35km:, zdarma:, konzultant:',
        true,
        500,
      ),
      ticket,
    ]),
    sub('reply', 'Write to the customer (on their own channel, signed with your name)', 'Napsat zákazníkovi (na jeho kanál, podepsané vaším jménem)', [
      text('text', 'The message', 'Zpráva', true),
      ticket,
    ]),
    sub('visit', 'Book a visit: the paid one the customer agreed to, or a free one', 'Naplánovat výjezd: placený se souhlasem zákazníka, nebo bezplatný', [
      text('when', 'Local date and time, e.g. 2026-11-24 14:30', 'Místní datum a čas, např. 2026-11-24 14:30', true, 40),
      ticket,
      {
        type: BOOLEAN,
        name: 'free',
        description: 'A free visit: the fault is on our side (no consent needed)',
        description_localizations: { cs: 'Bezplatný výjezd: závada je na naší straně (bez souhlasu zákazníka)' },
        required: false,
      },
    ]),
    sub('category', 'Set the kind of work (free or paid) of a ticket', 'Nastavit druh práce (zdarma, nebo placená) u požadavku', [
      {
        type: STRING,
        name: 'kind',
        description: 'outage and diagnostics are free, the rest is paid',
        description_localizations: { cs: 'výpadek a diagnostika jsou zdarma, ostatní placené' },
        required: true,
        choices: WORK_CATEGORIES.map((v) => ({ name: v, value: v })),
      },
      ticket,
    ]),
    sub('emergency', 'Mark a ticket an emergency: first in the queue and the digest', 'Označit požadavek jako havárii: přednost ve frontě a v přehledu', [
      ticket,
      {
        type: STRING,
        name: 'set',
        description: 'on (default) or off',
        description_localizations: { cs: 'on (výchozí), nebo off' },
        required: false,
        choices: ['on', 'off'].map((v) => ({ name: v, value: v })),
      },
    ]),
    OUTAGE_GROUP,
    sub('help', 'What /linka can do', 'Co umí /linka'),
  ],
};

/** Registers /linka as the application's global command set; returns the application's name and id. */
export async function registerCommands(rest: REST): Promise<{ applicationId: string; applicationName: string; commands: string[] }> {
  const app = (await rest.get(Routes.currentApplication())) as { id: string; name?: string };
  const saved = (await rest.put(Routes.applicationCommands(app.id), { body: [LINKA_COMMAND] })) as Array<{ name: string }>;
  return { applicationId: app.id, applicationName: app.name ?? app.id, commands: saved.map((c) => c.name) };
}
