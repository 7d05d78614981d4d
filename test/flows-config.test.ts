// A provider's own flows from YAML (config `flows:`): a software vendor whose "checklist" is a
// licence number and a description, refusing a request without them; a fibre ISP's own devices;
// every mistake in a flow file stops start-up naming the file, the step and what is wrong.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { builtInFlows, loadFlowSet } from '../src/config/flows.js';
import { useTexts } from '../src/messages/index.js';
import { createTestDatabase, databaseForEachTest, pgAvailable } from './helpers/db.js';
import { ROOT } from './helpers/child-linka.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { runLinka } from './helpers/run-linka.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linka-flows-'));
afterAll(() => {
  useTexts({});
  rmSync(dir, { recursive: true, force: true });
});

/** A folder of flow files, each given as its parsed content. */
function folder(name: string, files: Record<string, unknown>): string {
  const at = path.join(dir, name);
  mkdirSync(at, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(at, file), typeof content === 'string' ? content : stringify(content));
  return at;
}

const builtInMain = parse(readFileSync(path.join(ROOT, 'flows', 'main.yaml'), 'utf8')) as { steps: Record<string, { choices?: unknown[] }> };

/** The built-in main flow with this menu. */
function mainWithMenu(choices: unknown[]): unknown {
  const main = structuredClone(builtInMain);
  (main.steps.menu as { choices: unknown[] }).choices = choices;
  return main;
}

const both = (cs: string, sk: string, en: string) => ({ cs, sk, en });

/** The software vendor's flow: the licence number first (its form checked), then the problem in words. */
const SOFTWARE = {
  id: 'software',
  category: 'other',
  title: both('Program nefunguje', 'Program nefunguje', 'The software does not work'),
  start: 'licence',
  summaryFields: ['licence', 'description'],
  fields: { licence: both('Licence', 'Licencia', 'Licence') },
  steps: {
    licence: {
      kind: 'input',
      prompt: both(
        'Napište mi prosím číslo své licence (např. LIC-123456); bez něj požadavek nemůžeme přijmout.',
        'Napíšte mi, prosím, číslo svojej licencie (napr. LIC-123456); bez neho požiadavku nemôžeme prijať.',
        'Please write your licence number (e.g. LIC-123456); we cannot accept a request without it.',
      ),
      field: 'licence',
      pattern: 'LIC-\\d{6}',
      retry: both(
        'Číslo licence má tvar LIC a šest číslic, např. LIC-123456. Najdete ho v programu v nabídce Nápověda.',
        'Číslo licencie má tvar LIC a šesť číslic, napr. LIC-123456. Nájdete ho v programe v ponuke Pomocník.',
        'A licence number is LIC and six digits, e.g. LIC-123456. You will find it in the Help menu of the program.',
      ),
      next: 'description',
    },
    description: {
      kind: 'input',
      prompt: both(
        'Popište prosím, co přesně nefunguje a jaké hlášení program ukazuje.',
        'Opíšte, prosím, čo presne nefunguje a aké hlásenie program ukazuje.',
        'Please describe what exactly does not work and what message the program shows.',
      ),
      field: 'description',
      minLength: 20,
      retry: 'collect.descriptionRetry',
      next: 'summary',
    },
    summary: {
      kind: 'summary',
      prompt: 'collect.summary',
      choices: [
        { id: 'send', label: 'collect.send', match: ['yes', 'send', 'odeslat'], next: 'openTicket' },
        { id: 'edit', label: 'collect.edit', match: ['edit', 'opravit'], next: 'licence' },
      ],
    },
    openTicket: { kind: 'openTicket' },
  },
};

describe('flows from the configuration', () => {
  const database = databaseForEachTest('sqlite', seedCustomers);

  it("leads the software vendor's customer from the menu to a ticket, refusing a request without a licence number", async () => {
    const flows = folder('software', {
      'main.yaml': mainWithMenu([
        { id: 'software', label: SOFTWARE.title, match: ['program', 'software', 'licence'], next: { flow: 'software' } },
        { id: 'other', label: 'problem.other', match: ['jine', 'other'], next: { flow: 'other' } },
      ]),
      'software.yaml': SOFTWARE,
    });
    const h = createHarness(database(), { config: { company: { name: 'Software Test', helpdeskPhone: '+420 377 000 000' }, flows } });
    const phone = '+420603123456';
    await h.say('Dobrý den', { phone });
    const menu = h.port.sent.at(-1)?.reply.choices?.map((c) => c.label);
    expect(menu).toEqual(['Program nefunguje', 'Něco jiného']);
    expect((await h.say('1', { phone })).texts.join()).toContain('Napište mi prosím číslo své licence (např. LIC-123456)');
    // No licence number, or a wrong one: asked again, nothing recorded, no ticket.
    for (const wrong of ['nevím', 'LIC-12', 'ABC-123456']) {
      const r = await h.say(wrong, { phone });
      expect(r.texts.join()).toContain('Číslo licence má tvar LIC a šest číslic');
      expect(r.ticketNumber ?? null).toBeNull();
    }
    expect((await h.say('lic-654321', { phone })).texts.join()).toContain('Popište prosím, co přesně nefunguje');
    expect((await h.say('nejde to', { phone })).texts.join()).toContain((await import('../src/messages/index.js')).t('cs', 'collect.descriptionRetry'));
    const summary = (await h.say('Po spuštění hlásí chybu 0x80 a skončí.', { phone })).texts.join('\n');
    expect(summary).toContain('Licence: lic-654321');
    const opened = await h.say('odeslat', { phone });
    expect(opened.ticketNumber).toBe('T-2026-00001');
    const ticket = await database().prisma.ticket.findFirstOrThrow({ where: { number: 'T-2026-00001' } });
    expect(ticket.summary).toContain('lic-654321');
    expect(ticket.summary).toContain('Po spuštění hlásí chybu 0x80 a skončí.');
  });

  it("tells the fibre ISP's customers to unplug their own devices, from the flow file's params", async () => {
    const internet = parse(readFileSync(path.join(ROOT, 'flows', 'internet.yaml'), 'utf8')) as { params: Record<string, unknown> };
    internet.params.devices = both(
      'optický terminál (ONT) a Wi-Fi router',
      'optický terminál (ONT) a Wi-Fi router',
      'the optical terminal (ONT) and the Wi-Fi router',
    );
    const flows = folder('fibre', { 'internet.yaml': internet });
    const h = createHarness(database(), { config: { company: { name: 'Vlákno', helpdeskPhone: '+420 377 000 000' }, flows } });
    const first = (await h.say('Nejde mi internet', { phone: '+420603123456' })).texts.join('\n');
    expect(first).toContain('Odpojte prosím ze zásuvky všechna zařízení (optický terminál (ONT) a Wi-Fi router)');
    expect(first).not.toContain('zdroj antény');
    // Only the internet flow is the provider's: Wi-Fi keeps the built-in devices.
    expect(loadFlowSet(flows).flows.wifi).toEqual(builtInFlows().wifi);
  });
});

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !(await pgAvailable()) },
])('a conversation in progress when its flow changes ($provider)', ({ provider, skip }) => {
  it.skipIf(skip)('goes on with the version it began with, while a new conversation gets the new one', async () => {
    const t = await createTestDatabase(provider);
    try {
      await seedCustomers(t.db);
      const config = (flows: string) => ({ company: { name: 'Software Test', helpdeskPhone: '+420 377 000 000' }, flows });
      const menu = mainWithMenu([{ id: 'software', label: SOFTWARE.title, match: ['program', 'software'], next: { flow: 'software' } }]);
      const v1 = folder(`v1-${provider}`, { 'main.yaml': menu, 'software.yaml': SOFTWARE });
      // Version 2 asks for the program's version between the licence and the description.
      const version = {
        kind: 'input',
        prompt: both('Jakou verzi programu máte?', 'Akú verziu programu máte?', 'Which version of the program do you have?'),
        field: 'version',
        retry: both('Napište prosím verzi, např. 4.2.', 'Napíšte, prosím, verziu, napr. 4.2.', 'Please write the version, e.g. 4.2.'),
        next: 'description',
      };
      const v2 = folder(`v2-${provider}`, {
        'main.yaml': menu,
        // It also words the description's question anew, and no longer lists the licence in the summary.
        'software.yaml': {
          ...SOFTWARE,
          summaryFields: ['version', 'description'],
          fields: { version: both('Verze', 'Verzia', 'Version') },
          steps: {
            ...SOFTWARE.steps,
            licence: { ...SOFTWARE.steps.licence, next: 'version' },
            version,
            description: { ...SOFTWARE.steps.description, prompt: both('Co se děje?', 'Čo sa deje?', 'What is happening?') },
          },
        },
      });
      const jan = '+420603123456';
      const before = createHarness(t.db, { config: config(v1) });
      await before.say('Dobrý den', { phone: jan });
      await before.say('1', { phone: jan });
      // The provider deploys version 2 while Jan is being asked for his licence number.
      const after = createHarness(t.db, { config: config(v2) });
      expect((await after.say('LIC-111111', { phone: jan })).texts.join()).toContain('Popište prosím, co přesně nefunguje');
      // Version 1's summary still names the licence, a field version 2 no longer has.
      expect((await after.say('Po spuštění hlásí chybu 0x80 a skončí.', { phone: jan })).texts.join()).toContain('Licence: LIC-111111');
      expect((await after.say('odeslat', { phone: jan })).ticketNumber).toBe('T-2026-00001');
      // Someone who starts now gets version 2.
      const zuzana = '+421905123456';
      await after.say('Dobrý deň', { phone: zuzana, conversationId: 'console:zuzana' });
      await after.say('1', { phone: zuzana, conversationId: 'console:zuzana' });
      expect((await after.say('LIC-222222', { phone: zuzana, conversationId: 'console:zuzana' })).texts.join()).toContain('Akú verziu programu máte?');
    } finally {
      await t.drop();
    }
  });
});

describe('a mistake in a flow file', () => {
  const problems = (name: string, files: Record<string, unknown>) => {
    try {
      loadFlowSet(folder(name, files));
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };
  const step = (extra: Record<string, unknown>) => ({ ...SOFTWARE, ...extra });

  it('names the file, the step and what is wrong', () => {
    expect(
      problems('bad-next', { 'software.yaml': step({ steps: { ...SOFTWARE.steps, description: { ...SOFTWARE.steps.description, next: 'sumary' } } }) }),
    ).toContain('software.yaml (flow software), step description: next "sumary" is not a step of the flow');
    expect(
      problems('unreachable', {
        'software.yaml': step({ steps: { ...SOFTWARE.steps, orphan: { kind: 'end', prompt: 'checklist.resolved', outcome: 'abandoned' } } }),
      }),
    ).toContain('software.yaml (flow software), step orphan: cannot be reached from the start (licence)');
    const loop = {
      ...SOFTWARE.steps,
      description: { ...SOFTWARE.steps.description, next: 'again' },
      again: { kind: 'choice', prompt: 'collect.summary', choices: [{ id: 'back', label: 'collect.edit', next: 'description' }] },
    };
    expect(problems('loop', { 'software.yaml': step({ steps: loop }) })).toContain(
      'software.yaml (flow software), step licence: a loop with no way out (licence, description, again: no end, ticket or other flow can be reached from them)',
    );
    expect(
      problems('no-en', {
        'software.yaml': step({ title: { cs: 'Program nefunguje', sk: 'Program nefunguje' } }),
      }),
    ).toMatch(/software\.yaml: title: .*\{ cs: "…", sk: "…", en: "…" \}/);
    expect(
      problems('bad-key', { 'software.yaml': step({ steps: { ...SOFTWARE.steps, summary: { ...SOFTWARE.steps.summary, prompt: 'collect.sumary' } } }) }),
    ).toContain('software.yaml: steps.summary.prompt: no text "collect.sumary"');
    expect(problems('no-field-name', { 'software.yaml': step({ fields: undefined }) })).toContain(
      'software.yaml: summaryFields: "licence" has no name for the summary; add fields: { licence: { cs: "…", sk: "…", en: "…" } }',
    );
    expect(
      problems('no-params', {
        'software.yaml': step({ steps: { ...SOFTWARE.steps, description: { ...SOFTWARE.steps.description, prompt: 'checklist.unplug' } } }),
      }),
    ).toContain('software.yaml (flow software), step description: its texts use {devices}, which nothing fills in (give the flow params: { devices: … })');
    expect(problems('own-category', { 'software.yaml': step({ category: 'software' }) })).toContain(
      'software.yaml: category: "software" has no name for the team; add categoryName',
    );
    expect(problems('own-category-named', { 'software.yaml': step({ category: 'software', categoryName: both('Software', 'Softvér', 'Software') }) })).toBe('');
    expect(
      problems('bad-pattern', { 'software.yaml': step({ steps: { ...SOFTWARE.steps, licence: { ...SOFTWARE.steps.licence, pattern: 'LIC-(' } } }) }),
    ).toContain('software.yaml: steps.licence.pattern: a regular expression');
    const main = mainWithMenu([{ id: 'software', label: 'problem.other', next: { flow: 'softwar' } }]) as { steps: Record<string, unknown> };
    delete main.steps.ticketOpen;
    const mainProblems = problems('bad-main', { 'main.yaml': main, 'software.yaml': SOFTWARE });
    expect(mainProblems).toContain('main.yaml (flow main): the main flow needs a step "ticketOpen" (kind ticketOpen)');
    expect(mainProblems).toContain('main.yaml (flow main), step menu: next flow "softwar" does not exist');
    expect(problems('yaml', { 'software.yaml': 'id: software\nsteps:\n  a: [\n' })).toMatch(/software\.yaml is not valid YAML: line \d+, column \d+/);
  });

  it('stops `linka serve` before it serves, with the file and step named', async () => {
    const flows = folder('serve-bad', { 'software.yaml': step({ start: 'licenc' }) });
    const config = path.join(dir, 'serve-bad.yaml');
    writeFileSync(config, 'flows: ./serve-bad\n');
    const r = await runLinka(['serve'], {
      env: { PATH: process.env.PATH, LINKA_CONFIG: config, PORT: '0', DATABASE_URL: `file:${path.join(dir, 'serve.db')}` },
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('software.yaml (flow software): start "licenc" is not a step of the flow');
    expect(r.stdout).not.toContain('linka is serving');
    expect(flows).toContain('serve-bad');
  }, 60_000);

  it('gives a changed flow a new version, and the same content the same one', () => {
    const a = loadFlowSet(folder('v1', { 'software.yaml': SOFTWARE })).flows.software?.version;
    const same = loadFlowSet(folder('v1-again', { 'software.yaml': SOFTWARE })).flows.software?.version;
    const changed = loadFlowSet(
      folder('v2', { 'software.yaml': step({ steps: { ...SOFTWARE.steps, description: { ...SOFTWARE.steps.description, minLength: 30 } } }) }),
    ).flows.software?.version;
    expect(same).toBe(a);
    expect(changed).not.toBe(a);
    expect(Number.isInteger(a) && (a as number) < 2 ** 31).toBe(true);
  });
});
