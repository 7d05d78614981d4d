// src/domain/sms.ts: the GSM-7 alphabet, transliteration into it, and billed segments.
import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments, toGsm7 } from '../src/domain/sms.js';

const CZECH = 'Odpojte prosím ze zásuvky všechna zařízení (napájecí zdroj antény, router, switch) na 10 s. Pak odpovězte „hotovo“ – děkuji…';

describe('isGsm7', () => {
  it('accepts the basic set and the extension table', () => {
    expect(isGsm7('Hello @ £$¥ èéùìò Ç Øø Åå Δ_ΦΓΛΩΠΨΣΘΞ Ææß É !"#¤%&\'()*+,-./0-9:;<=>? ¡ÄÖÑÜ§ ¿äöñüà\n\r')).toBe(true);
    expect(isGsm7('€ [ ] { } | ^ ~ \\ \f')).toBe(true);
  });

  it('refuses Czech and Slovak letters GSM-7 lacks, typographic quotes, emoji', () => {
    for (const s of ['č', 'ř', 'ě', 'ů', 'ý', 'á', 'í', 'ľ', 'ô', 'ť', '„', '“', '–', '…', '😀', '\u00A0', '`']) expect(isGsm7(s), s).toBe(false);
  });
});

describe('toGsm7', () => {
  it('writes a Czech sentence without diacritics and with plain punctuation', () => {
    expect(toGsm7(CZECH)).toBe(
      'Odpojte prosim ze zasuvky vsechna zarizeni (napajeci zdroj anteny, router, switch) na 10 s. Pak odpovezte "hotovo" - dekuji...',
    );
    expect(isGsm7(toGsm7(CZECH))).toBe(true);
  });

  it('strips every diacritic, also from letters GSM-7 has, so the text reads consistently', () => {
    expect(toGsm7('Příliš žluťoučký kůň úpěl ďábelské ódy')).toBe('Prilis zlutoucky kun upel dabelske ody');
    expect(toGsm7('Ďakujem, Ľubomír: väčší kôň; Áno, Šaľa, Žilina')).toBe('Dakujem, Lubomir: vacsi kon; Ano, Sala, Zilina');
    expect(toGsm7('Müller & Peña')).toBe('Muller & Pena');
  });

  it('maps typographic characters and drops invisible ones', () => {
    expect(toGsm7('„a“ ”b” ‚c‘ ’d’ «e» x–y—z … a\u00A0b\u202Fc\u200Bd\tE')).toBe('"a" "b" \'c\' \'d\' "e" x-y-z ... a b cd E');
    expect(toGsm7('Łódź, 3×4')).toBe('Lodz, 3x4');
  });

  it('turns what is still outside GSM-7 into ?', () => {
    expect(toGsm7('OK 😀 Привет')).toBe('OK ? ??????');
  });

  it('keeps the extension table and line breaks', () => {
    expect(toGsm7('Cena 100 € [sleva]\n1 Ano\n2 Ne')).toBe('Cena 100 € [sleva]\n1 Ano\n2 Ne');
  });
});

describe('smsSegments', () => {
  it('bills the Czech sentence as two UCS-2 segments, transliterated as one GSM-7 segment', () => {
    expect(smsSegments(CZECH)).toEqual({ encoding: 'UCS-2', segments: 2, characters: 124 });
    expect(smsSegments(toGsm7(CZECH))).toEqual({ encoding: 'GSM-7', segments: 1, characters: 126 });
  });

  it('fits 160 GSM-7 septets in one message and 153 in each concatenated part', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, characters: 0 });
    expect(smsSegments('a'.repeat(160)).segments).toBe(1);
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts extension characters double and never splits an escape pair', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, characters: 160 });
    expect(smsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2, characters: 162 });
    // 306 septets would fit two parts, but the escape pair cannot straddle the first boundary.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({ encoding: 'GSM-7', segments: 3, characters: 306 });
  });

  it('fits 70 UCS-2 units in one message and 67 in each part; an emoji is two units', () => {
    expect(smsSegments('č'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, characters: 70 });
    expect(smsSegments('č'.repeat(71)).segments).toBe(2);
    expect(smsSegments('č'.repeat(134)).segments).toBe(2);
    expect(smsSegments('č'.repeat(135)).segments).toBe(3);
    expect(smsSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, characters: 70 });
    expect(smsSegments(`${'a'.repeat(66)}😀`)).toEqual({ encoding: 'UCS-2', segments: 1, characters: 68 });
    // 134 units would fit two parts, but the surrogate pair cannot straddle the first boundary.
    expect(smsSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', segments: 3, characters: 134 });
  });
});
