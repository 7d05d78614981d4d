// The provider's own wording (config `texts:`): an override changes what a customer is told,
// through the real dispatcher and on SMS; a bad override stops start-up naming the key; and
// `linka texts list` shows every text and where it comes from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { catalogues, t, useTexts } from '../src/messages/index.js';
import { databaseForEachTest } from './helpers/db.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { runLinka } from './helpers/run-linka.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linka-texts-'));
afterAll(() => {
  useTexts({});
  rmSync(dir, { recursive: true, force: true });
});

const FIBRE = {
  company: { name: 'Vlákno Test', helpdeskPhone: '+420 377 000 000' },
  texts: {
    cs: {
      'devices.internet': 'optický terminál (ONT), Wi-Fi router a switch',
      'devices.internet@sms': 'ONT, router, switch',
      'greeting.hello': 'Dobrý den, tady {company}. S čím vám mohu pomoci?',
      'greeting.hello@sms': 'Dobrý den, tady {company}.',
    },
  },
};

describe('texts from the configuration', () => {
  const database = databaseForEachTest('sqlite', seedCustomers);

  it("changes what the customer is told: the provider's greeting and its devices to unplug", async () => {
    const h = createHarness(database(), { config: FIBRE });
    const greet = (await h.say('Dobrý den, nejde mi internet', { phone: '+420603123456' })).texts.join('\n');
    expect(greet).toContain('Dobrý den, tady Vlákno Test. S čím vám mohu pomoci?');
    expect(greet).toContain('Odpojte prosím ze zásuvky všechna zařízení (optický terminál (ONT), Wi-Fi router a switch)');
    expect(greet).not.toContain('zdroj antény');
    // Another provider in a later run of the process: the built-in wording again.
    const builtIn = createHarness(database(), {
      config: { company: { name: 'Linka ISP', helpdeskPhone: '+420 377 000 000' } },
      conversationId: 'console:other',
    });
    const plain = (await builtIn.say('Dobrý den, nejde mi internet', { phone: '+420603123456' })).texts.join('\n');
    expect(plain).toContain('zdroj antény');
    expect(plain).not.toContain('ONT');
  });

  it('uses the SMS wording the configuration gives on SMS', () => {
    useTexts(parseConfig(FIBRE).texts);
    expect(t('cs', 'devices.internet', {}, true)).toBe('ONT, router, switch');
    expect(t('cs', 'devices.internet')).toBe('optický terminál (ONT), Wi-Fi router a switch');
    // Languages the configuration leaves alone keep the built-in wording.
    expect(t('sk', 'devices.internet', {}, true)).toBe(catalogues.sk['devices.internet@sms']);
    useTexts({});
    expect(t('cs', 'devices.internet', {}, true)).toBe(catalogues.cs['devices.internet@sms']);
  });

  it('refuses a bad override before anything starts, naming the key and what is wrong', () => {
    const bad =
      (texts: Record<string, Record<string, string>>, sms = {}) =>
      () =>
        parseConfig({ texts, ...sms });
    expect(bad({ cs: { 'devices.internt': 'ONT' } })).toThrow(
      'texts.cs["devices.internt"]: no such text (texts with similar names: devices.internet, devices.voip, devices.wifi); `linka texts list` shows them all',
    );
    expect(bad({ cs: { 'checklist.plugBack': 'Zapojte vše zpět.' } })).toThrow('texts.cs["checklist.plugBack"]: lacks {minutes}');
    expect(bad({ en: { 'greeting.hello': 'Hello from {company}, {name}!' } })).toThrow(
      'texts.en["greeting.hello"]: {name} is not given to this text (it gets {company}, {teamHours})',
    );
    expect(bad({ cs: { 'devices.internet': 'ONT a router' } })).toThrow(
      'texts.cs["devices.internet"]: replaced, but not its SMS wording texts.cs["devices.internet@sms"], which SMS customers would still get; give both',
    );
    const long =
      'optický terminál, Wi-Fi router, kabelový router, switch, VoIP brána, set-top box, NAS, tiskárna a další zařízení připojená k síti ve vaší domácnosti nebo kanceláři';
    expect(bad({ cs: { 'devices.internet': 'ONT', 'devices.internet@sms': long } })).toThrow(
      /texts\.cs\["devices\.internet@sms"\]: takes 2 SMS segments with its placeholders filled, the built-in text 1; shorten it/,
    );
    expect(bad({ cs: { 'greeting.hello': '   ' } })).toThrow('an empty text; remove the key to keep the built-in one');
    expect(bad({ de: { 'greeting.hello': 'Hallo' } })).toThrow(/texts/);
    // Every problem at once, each on its own line.
    expect(bad({ cs: { nope: 'x', 'checklist.plugBack': 'Zapojte vše zpět.' } })).toThrow(/nope.*\n.*checklist\.plugBack/s);
  });

  it('stops `linka serve` with the key named when the file has a bad override', async () => {
    const file = path.join(dir, 'bad-texts.yaml');
    writeFileSync(file, 'texts:\n  sk:\n    checklist.plugBack: "Zapojte všetko späť."\n');
    const r = await runLinka(['serve'], {
      env: { PATH: process.env.PATH, LINKA_CONFIG: file, DATABASE_URL: `file:${path.join(dir, 'x.db')}`, PORT: '0' },
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('texts.sk["checklist.plugBack"]: lacks {minutes}');
    expect(r.stdout).not.toContain('linka is serving');
  }, 60_000);

  it('lists every text with where it comes from; --changed only those the config replaces', async () => {
    const file = path.join(dir, 'fibre.yaml');
    writeFileSync(file, 'texts:\n  cs:\n    devices.internet: "ONT, Wi-Fi router a switch"\n    devices.internet@sms: "ONT, router, switch"\n');
    const env = { PATH: process.env.PATH, LINKA_CONFIG: file };
    const changed = await runLinka(['texts', 'list', '--changed'], { env, cwd: dir });
    expect(changed.code).toBe(0);
    expect(changed.stdout).toBe(
      `cs devices.internet (config)\n    ONT, Wi-Fi router a switch\ncs devices.internet@sms (config)\n    ONT, router, switch\n2 text(s) replaced by the configuration (${file}); {name} is filled in when the text is sent.\n`,
    );
    const sk = await runLinka(['texts', 'list', '--lang', 'sk'], { env, cwd: dir });
    expect(sk.stdout).toContain('sk devices.internet (built-in)\n    zdroj antény');
    expect(sk.stdout).toContain('sk greeting.hello (built-in)\n    ');
    expect(sk.stdout).not.toMatch(/^cs /m);
  }, 60_000);
});
