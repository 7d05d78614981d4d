// Issue 16, rule 1, in the pure engine: "a customer's restriction must be checked at intake: they
// are told that the service is restricted for an unpaid balance, the amount, how to pay and how
// quickly the service comes back after payment; no checklist, no ticket, no paid offer (unless
// they say they have paid: then the existing payment report path)." No database, no clock.
import { describe, expect, it } from 'vitest';
import { step } from '../src/engine/step.js';
import type { ConversationState, CoreEvent, Effect, RestrictionView, StepContext } from '../src/engine/types.js';
import { ON } from './helpers/capabilities.js';
import { flows, jan, SETTINGS } from './helpers/engine-fixtures.js';

const NOW = new Date('2026-12-02T09:00:00Z');
const OWES: RestrictionView = { amount: '1 234,50 CZK', due: '20. 11. 2026', variableSymbol: 'invoice', restoreWithinHours: null };

function run(events: Array<CoreEvent | string>, ctx: Partial<StepContext> & { channel?: 'console' | 'sms' } = {}) {
  let state: ConversationState | null = null;
  let effects: Effect[] = [];
  let customer = ctx.customer === undefined ? jan : ctx.customer;
  for (const e of events) {
    effects = [];
    const feed = (event: CoreEvent) => {
      const r = step(state, event, NOW, { capabilities: ON[ctx.channel ?? 'console'], flows, settings: SETTINGS, ...ctx, customer });
      state = r.state;
      effects.push(...r.effects);
      for (const x of r.effects) {
        if (x.type === 'lookupCustomer') {
          customer = x.contractNumber === jan.contractNumber ? jan : null;
          feed({ kind: 'lookupResult', customer });
        }
      }
    };
    feed(typeof e === 'string' ? { kind: 'text', text: e } : e);
  }
  const texts = effects.flatMap((x) => (x.type === 'reply' ? [x.reply.text] : [])).join('\n---\n');
  return { state: state as unknown as ConversationState, effects, texts };
}

describe('a customer restricted for non-payment', () => {
  it('is told the restriction, the amount, how to pay and when it is back instead of the internet checklist; no ticket', () => {
    const r = run(['nejde mi internet'], { restriction: OWES });
    expect(r.texts).toContain('Vaše služby jsou omezeny, protože evidujeme neuhrazenou částku 1 234,50 CZK se splatností 20. 11. 2026.');
    expect(r.texts).toContain('variabilní symbol najdete tamtéž. Číslo vaší smlouvy je 2024-0153.');
    expect(r.texts).toContain('Služby obnovíme, jakmile platbu připíšeme na náš účet.');
    expect(r.texts).toContain('Pokud jste již zaplatili, odpovězte „zaplaceno“');
    expect(r.texts).not.toContain('Odpojte');
    expect(r.effects.some((e) => e.type === 'openTicket' || e.type === 'startTimer')).toBe(false);
    expect(r.effects).toContainEqual({ type: 'record', text: 'Zákazník má služby omezené pro neuhrazenou platbu: sděleno místo kontroly zařízení.' });
    expect(`${r.state.flow}.${r.state.step}`).toBe('main.menu');
    // One message: over SMS a second one would be billed on its own.
    expect(r.effects.filter((e) => e.type === 'reply')).toHaveLength(1);
  });

  it('names the contract number as the variable symbol only when configured, and the restoration time when configured', () => {
    const r = run(['wifi'], { restriction: { ...OWES, variableSymbol: 'contract', restoreWithinHours: 48 } });
    expect(r.texts).toContain('jako variabilní symbol uveďte číslo smlouvy 2024-0153.');
    expect(r.texts).toContain('Po připsání platby na náš účet služby obnovíme nejpozději do 48 h.');
    expect(run(['telefon'], { restriction: OWES }).texts).not.toContain('jako variabilní symbol uveďte číslo smlouvy');
  });

  it('is told at once on a greeting, and without an amount when none is outstanding on record', () => {
    const r = run(['dobrý den'], { restriction: { ...OWES, amount: null, due: null } });
    expect(r.texts).toContain('Vaše služby jsou omezeny kvůli neuhrazené platbě.');
    expect(r.texts).not.toContain('S čím vám mohu pomoci?');
  });

  it('uses the short wording over SMS', () => {
    const r = run(['nejde mi internet'], { restriction: OWES, channel: 'sms' });
    expect(r.texts).toBe(
      'Dobrý den, tady Linka (Test ISP).\n\nSlužby máte omezené kvůli neuhrazené částce 1 234,50 CZK splatné 20. 11. 2026, nejde o poruchu.\n\n' +
        'Plaťte na účet a s VS z faktury.\n\nObnovíme je po připsání platby.\n\nPlaceno? Pošlete ZAPLACENO. Jiná věc? Pošlete JINE.',
    );
  });

  it('is told after identification, also when the fault was named before it', () => {
    const r = run(['nejde mi internet', '2024-0153'], { customer: null, restriction: OWES });
    expect(r.texts).toContain('Děkuji, vaši smlouvu jsem našla (Jan Novák).');
    expect(r.texts).toContain('Vaše služby jsou omezeny');
    expect(run(['ahoj', '2024-0153'], { customer: null, restriction: OWES }).texts).toContain('Vaše služby jsou omezeny');
  });

  it('still reports a payment ("zaplaceno") and still reaches the other-matters flow ("jiné")', () => {
    expect(run(['nejde internet', 'zaplaceno'], { restriction: OWES }).effects).toContainEqual({ type: 'reportPayment' });
    const other = run(['nejde internet', 'jiné'], { restriction: OWES });
    expect(other.texts).toContain('Popište mi prosím, s čím potřebujete pomoci.');
    expect(`${other.state.flow}.${other.state.step}`).toBe('other.description');
  });

  it('gets the checklist when not restricted', () => {
    expect(run(['nejde mi internet'], { restriction: null }).texts).toContain('Odpojte');
  });
});
