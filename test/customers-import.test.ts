// `linka customers import FILE.csv`: the README columns, phones in E.164, idempotent
// re-imports, spreadsheet exports (";" and a BOM), and all-or-nothing on bad rows.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, importCustomers, parseCustomersCsv, planCustomersImport } from '../src/import/customers-csv.js';
import { databaseForEachTest } from './helpers/db.js';
import { openDatabase } from '../src/store/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');
const OPTS = { region: 'CZ', defaultLanguage: 'cs' as const };

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with its own SQLite database URL; `csv()` writes files into it. */
function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-import-'));
  dirs.push(dir);
  const url = `file:${path.join(dir, 'linka.db')}`;
  return {
    dir,
    url,
    csv(name: string, text: string): string {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    /** Runs `linka customers import FILE` against this workspace's database. */
    import(file: string) {
      return linka(['customers', 'import', file], { cwd: dir, DATABASE_URL: url });
    },
    async customers() {
      const db = await openDatabase(url);
      try {
        return await db.prisma.customer.findMany({ include: { phones: true }, orderBy: { contractNumber: 'asc' } });
      } finally {
        await db.close();
      }
    },
  };
}

function linka(args: string[], opts: { cwd: string; DATABASE_URL: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: opts.DATABASE_URL };
  delete env.LINKA_CONFIG;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const GOOD = [
  'contract_number,name,phones,language,tier,area,access_point,address,email,telegram_id',
  '2024-0153,Jan Novák,603 123 456,cs,PLUS,Plzeň-Bory,AP-Bory-2,"Sladkovského 12, Plzeň",jan@example.cz,',
  'SK-77,Zuzana Kováčová,+421 905 123 456|00421 905 987 654,SK,STANDARD,Petržalka,,,,123456789',
  '2023-0042,Petr Dvořák,,,,,,,,',
  '',
].join('\n');

describe('parseCustomersCsv', () => {
  it('reads every README column and normalises phones to E.164 with the default region', () => {
    const rows = parseCustomersCsv(GOOD, OPTS);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      line: 2,
      contractNumber: '2024-0153',
      name: 'Jan Novák',
      phones: ['+420603123456'],
      language: 'cs',
      tier: 'PLUS',
      area: 'Plzeň-Bory',
      accessPoint: 'AP-Bory-2',
      address: 'Sladkovského 12, Plzeň',
      email: 'jan@example.cz',
      telegramId: null,
    });
    expect(rows[1]).toMatchObject({ phones: ['+421905123456', '+421905987654'], language: 'sk', telegramId: '123456789' });
    expect(rows[2]).toMatchObject({ phones: [], language: 'cs', tier: 'none', area: null });
    expect(parseCustomersCsv(GOOD, { ...OPTS, defaultLanguage: 'en' })[2]?.language).toBe('en');
    // A number without a country code is read in the configured region.
    const national = 'contract_number,name,phones\n2024-0001,A,0905 987 654\n';
    expect(parseCustomersCsv(national, { ...OPTS, region: 'SK' })[0]?.phones).toEqual(['+421905987654']);
    expect(() => parseCustomersCsv(national, OPTS)).toThrow('line 2: "0905 987 654" is not a valid phone number');
  });

  it('reports each bad row by its line in the file and returns nothing', () => {
    const text = [
      'contract_number,name,phones,language',
      '2024-0001,Alena Malá,603 123 456,cs',
      '2024-0002,Bohumil Velký,12345,cs',
      '', // a blank line still counts when the editor shows line numbers
      '2024-0003,Cyril Nový,,de',
      '2024-0004,,,',
      '2024-0001,Dana Stará,777 000 111,',
    ].join('\n');
    let message = '';
    try {
      parseCustomersCsv(text, OPTS);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Nothing was imported; fix these rows:',
      '  line 3: "12345" is not a valid phone number',
      '  line 5: language must be cs, sk or en',
      '  line 6: name is empty',
      '  line 7: contract_number 2024-0001 already appears on line 2',
    ]);
  });

  it('refuses a telegram_id given to two customers, by line, instead of failing inside the database', () => {
    const text = 'contract_number,name,telegram_id\n2024-0001,A,555\n2024-0002,B,555\n';
    expect(() => parseCustomersCsv(text, OPTS)).toThrow('line 3: telegram_id 555 already appears on line 2');
  });

  it('refuses a tier the configuration does not have, naming the configured ones, and takes any case of a known one', () => {
    const tiers = ['none', 'STANDARD', 'PLUS', 'VIP'];
    const text = 'contract_number,name,tier\n2024-0001,A,gold\n2024-0002,B,plus\n2024-0003,C,\n';
    expect(() => parseCustomersCsv(text, { ...OPTS, tiers })).toThrow(
      'line 2: tier "gold" is not one of the configured tiers (none, STANDARD, PLUS, VIP); leave it empty for none',
    );
    const rows = parseCustomersCsv('contract_number,name,tier\n2024-0002,B,plus\n2024-0003,C,\n', { ...OPTS, tiers });
    expect(rows.map((r) => r.tier)).toEqual(['PLUS', 'none']);
  });

  it('refuses one phone number on two customers, naming both lines and contracts', () => {
    const text = 'contract_number,name,phones\n2024-0001,Jana,603 111 222\n2024-0002,Josef,+420 603 111 222|603 333 444\n';
    expect(() => parseCustomersCsv(text, OPTS)).toThrow(
      'line 3: phone +420603111222 is also on line 2 (contract 2024-0001); a phone number may belong to one customer only',
    );
  });

  it('says where a file breaks the CSV rules and how to write the value: a comma not in quotes, a stray or unclosed quote', () => {
    const read = (text: string) => {
      try {
        parseCustomersCsv(text, OPTS);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('parsed');
    };
    expect(read('contract_number,name,address\n2024-0001,Jana,"Hlavní 5, Plzeň"\n2024-0002,Josef,Husova 7, Plzeň\n')).toBe(
      'The CSV file cannot be read: line 3, column 4: more values than the header has columns, from " Plzeň" on (the line has 4 values, the header 3 columns: contract_number, name, address). A "," inside a value splits it in two: put such a value in double quotes ("Hlavní 5, Plzeň")',
    );
    expect(read('contract_number,name\n2024-0001,Jan "Honza" Novák\n')).toBe(
      'The CSV file cannot be read: line 2, column 2 (name): a double quote (") in the middle of a value: put the whole value in double quotes and double each quote inside it, e.g. "Jan ""Honza"" Novák"',
    );
    // The line where the quote was opened, not the end of the file where csv-parse noticed.
    expect(read('contract_number,name\n2024-0001,Jana\n\n2024-0002,"Josef\n2024-0003,Eva\n')).toMatch(
      /^The CSV file cannot be read: line 4, column 2 \(name\): a value starts with a double quote \("\) that is never closed/,
    );
    expect(read('contract_number;name;address\n2024-0001;Jana\n')).toBe(
      'The CSV file cannot be read: line 2, column 3 (address) is missing (the line has 2 values, the header 3 columns: contract_number, name, address). For a column without a value, leave nothing between two separators (";;")',
    );
  });

  it('explains unknown and missing header columns, listing the expected ones', () => {
    const expected = `(expected: ${CSV_COLUMNS.join(', ')})`;
    expect(() => parseCustomersCsv('contract_number,name,fone\n2024-0001,A,603123456\n', OPTS)).toThrow(`Unknown CSV column(s) fone ${expected}`);
    expect(() => parseCustomersCsv('smlouva,name\n2024-0001,A\n', OPTS)).toThrow(`The CSV header lacks the column(s) contract_number ${expected}`);
    // Also when the file has a header and no rows yet, and when it is empty.
    expect(() => parseCustomersCsv('contract_number,jmeno\n', OPTS)).toThrow('lacks the column(s) name');
    expect(() => parseCustomersCsv('', OPTS)).toThrow('lacks the column(s) contract_number, name');
    // Header names are matched without regard to case and surrounding spaces.
    expect(parseCustomersCsv(' Contract_Number , NAME \n2024-0001,A\n', OPTS)).toHaveLength(1);
  });
});

describe('linka customers import', () => {
  it('imports a good file: counts on stdout, phones in E.164 in the database', async () => {
    const ws = workspace();
    const file = ws.csv('customers.csv', GOOD);
    const run = await ws.import(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Imported 3 customer(s) from ${file}: 3 created, 0 updated, 0 unchanged.\n`);
    const customers = await ws.customers();
    expect(customers.map((c) => [c.contractNumber, c.name, c.phones.map((p) => p.e164).sort()])).toEqual([
      ['2023-0042', 'Petr Dvořák', []],
      ['2024-0153', 'Jan Novák', ['+420603123456']],
      ['SK-77', 'Zuzana Kováčová', ['+421905123456', '+421905987654']],
    ]);
  });

  it('changes nothing when the same file is imported again, and updates only a changed row', async () => {
    const ws = workspace();
    const file = ws.csv('customers.csv', GOOD);
    expect((await ws.import(file)).code).toBe(0);
    const before = await ws.customers();

    const again = await ws.import(file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(': 0 created, 0 updated, 3 unchanged.');
    expect(await ws.customers()).toEqual(before);

    // Jan moved and has a new number; the others are as before.
    const changed = GOOD.replace('2024-0153,Jan Novák,603 123 456,cs,PLUS,Plzeň-Bory', '2024-0153,Jan Novák,+420 777 111 222,cs,PLUS,Plzeň-Lobzy');
    const update = await ws.import(ws.csv('changed.csv', changed));
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(': 0 created, 1 updated, 2 unchanged.');
    const after = await ws.customers();
    const jan = after.find((c) => c.contractNumber === '2024-0153');
    expect(jan?.area).toBe('Plzeň-Lobzy');
    expect(jan?.phones.map((p) => p.e164)).toEqual(['+420777111222']);
    expect(after.filter((c) => c.contractNumber !== '2024-0153')).toEqual(before.filter((c) => c.contractNumber !== '2024-0153'));
  });

  it('imports a semicolon-delimited spreadsheet export with a byte-order mark', async () => {
    const ws = workspace();
    const text = '\uFEFFcontract_number;name;phones;language\r\n2024-0200;Jiří Šťastný;603 123 456, 00420 777 000 111;cs\r\n2024-0201;Eva Černá;;sk\r\n';
    const run = await ws.import(ws.csv('export.csv', text));
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(': 2 created, 0 updated, 0 unchanged.');
    const customers = await ws.customers();
    expect(customers.map((c) => [c.contractNumber, c.name, c.language, c.phones.map((p) => p.e164).sort()])).toEqual([
      ['2024-0200', 'Jiří Šťastný', 'cs', ['+420603123456', '+420777000111']],
      ['2024-0201', 'Eva Černá', 'sk', []],
    ]);
  });

  it('imports nothing from a file with bad rows and names each bad line and why', async () => {
    const ws = workspace();
    expect((await ws.import(ws.csv('first.csv', GOOD))).code).toBe(0);
    const before = await ws.customers();
    const bad = [
      'contract_number,name,phones,language',
      '2024-0300,Good Row,603 999 888,cs', // valid, but must not be imported either
      '2024-0153,Jan Novák,603 12,cs', // an update of an existing customer, with a bad phone
      '2024-0301,Cyril Nový,,de',
      '2024-0302,  ,,',
      '2024-0300,Twice,,',
    ].join('\n');
    const run = await ws.import(ws.csv('bad.csv', bad));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Nothing was imported; fix these rows:');
    expect(run.stderr).toContain('line 3: "603 12" is not a valid phone number');
    expect(run.stderr).toContain('line 4: language must be cs, sk or en');
    expect(run.stderr).toContain('line 5: name is empty');
    expect(run.stderr).toContain('line 6: contract_number 2024-0300 already appears on line 2');
    expect(run.stderr).not.toMatch(/line 2:/);
    expect(await ws.customers()).toEqual(before);
  });

  it('refuses a telegram_id that belongs to a customer outside the file, by line, and imports nothing', async () => {
    const ws = workspace();
    const first = await ws.import(ws.csv('first.csv', 'contract_number,name,telegram_id\nA-001,Alena Malá,555\nA-002,Bedřich Malý,777\n'));
    expect(first.code).toBe(0);
    const before = await ws.customers();
    const clash = [
      'contract_number,name,phones,telegram_id',
      '2024-0400,Good Row,603 999 888,', // valid, but must not be imported either
      'A-002,Bedřich Malý,,778', // an update that would go through on its own
      '2024-0401,Cyril Nový,,555',
    ].join('\n');
    const run = await ws.import(ws.csv('clash.csv', clash));
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('linka: Nothing was imported; fix these rows:\n  line 4: telegram_id 555 already belongs to contract A-001\n');
    expect(run.stderr).not.toMatch(/Invalid|prisma|Unique constraint/i);
    expect(await ws.customers()).toEqual(before);
  });

  it('refuses a phone number another customer already has, naming that contract, and imports nothing', async () => {
    const ws = workspace();
    expect((await ws.import(ws.csv('first.csv', 'contract_number,name,phones\nA-001,Alena Malá,603 111 222\n'))).code).toBe(0);
    const before = await ws.customers();
    const run = await ws.import(ws.csv('second.csv', 'contract_number,name,phones,tier\nA-002,Bedřich Malý,603 111 222,\nA-003,Cecílie,,gold\n'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'linka: Nothing was imported; fix these rows:\n  line 3: tier "gold" is not one of the configured tiers (none, STANDARD, PLUS, VIP); leave it empty for none\n',
    );
    const phoneOnly = await ws.import(ws.csv('third.csv', 'contract_number,name,phones\nA-002,Bedřich Malý,603 111 222\n'));
    expect(phoneOnly.code).toBe(1);
    expect(phoneOnly.stderr).toBe(
      'linka: Nothing was imported; fix these rows:\n  line 2: phone +420603111222 already belongs to contract A-001; a phone number may belong to one customer only\n',
    );
    expect(await ws.customers()).toEqual(before);
    // The same file may move the number: A-001 gets another one, A-002 takes this one.
    const moved = await ws.import(ws.csv('moved.csv', 'contract_number,name,phones\nA-002,Bedřich Malý,603 111 222\nA-001,Alena Malá,603 555 666\n'));
    expect(moved.stderr).toBe('');
    expect((await ws.customers()).map((c) => [c.contractNumber, c.phones.map((p) => p.e164)])).toEqual([
      ['A-001', ['+420603555666']],
      ['A-002', ['+420603111222']],
    ]);
  });

  it('moves a telegram_id between customers of the same file, whatever the order of the rows', async () => {
    const ws = workspace();
    expect(
      (await ws.import(ws.csv('first.csv', 'contract_number,name,telegram_id\nA-001,Alena Malá,555\nA-002,Bedřich Malý,777\nA-003,Cecílie Malá,\n'))).code,
    ).toBe(0);
    // A-001 and A-002 swap their ids; A-003 stays as it is.
    const swap = await ws.import(ws.csv('swap.csv', 'contract_number,name,telegram_id\nA-001,Alena Malá,777\nA-002,Bedřich Malý,555\nA-003,Cecílie Malá,\n'));
    expect(swap.stderr).toBe('');
    expect(swap.stdout).toContain(': 0 created, 2 updated, 1 unchanged.');
    expect((await ws.customers()).map((c) => [c.contractNumber, c.telegramId])).toEqual([
      ['A-001', '777'],
      ['A-002', '555'],
      ['A-003', null],
    ]);
    // A-002 gives up 555 (empty cell) to a new customer listed before it.
    const move = await ws.import(ws.csv('move.csv', 'contract_number,name,telegram_id\nA-004,Dana Nová,555\nA-002,Bedřich Malý,\n'));
    expect(move.stderr).toBe('');
    expect(move.stdout).toContain(': 1 created, 1 updated, 0 unchanged.');
    expect((await ws.customers()).map((c) => [c.contractNumber, c.telegramId])).toEqual([
      ['A-001', '777'],
      ['A-002', null],
      ['A-003', null],
      ['A-004', '555'],
    ]);
  });

  it('explains a comma that splits a value, by line and column, and imports nothing', async () => {
    const ws = workspace();
    const run = await ws.import(ws.csv('address.csv', 'contract_number,name,address\n2024-0001,Jana,Hlavní 5, Plzeň\n'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2, column 4: more values than the header has columns');
    expect(run.stderr).toContain('put such a value in double quotes ("Hlavní 5, Plzeň")');
    expect(run.stderr).not.toContain('Invalid Record Length');
    // The file is read before the database is opened: nothing was written, not even the database.
    expect(existsSync(path.join(ws.dir, 'linka.db'))).toBe(false);
  });

  it('explains a header with unknown or missing columns', async () => {
    const ws = workspace();
    const [unknown, missing] = await Promise.all([
      ws.import(ws.csv('unknown.csv', 'contract_number,name,telefon\n2024-0001,A,603123456\n')),
      ws.import(ws.csv('missing.csv', 'contract_number,phones\n2024-0001,603123456\n')),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown CSV column(s) telefon (expected: contract_number, name, phones,');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The CSV header lacks the column(s) name');
  });

  it('says so when the file does not exist, with exit code 1', async () => {
    const ws = workspace();
    const file = path.join(ws.dir, 'nope.csv');
    const run = await ws.import(file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^linka: cannot read ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT: no such file or directory`));
    expect(run.stdout).toBe('');
  });
});

// The console's preview (planCustomersImport) counts as the import then does, even where the
// count is not plain: a telegram_id swapped or given up within the file, a phone moved.
describe('planCustomersImport', () => {
  const db = databaseForEachTest('sqlite');
  it('predicts the import: each row created, changed (field, old, new) or unchanged, with the same counts', async () => {
    const prisma = db().prisma;
    const first = 'contract_number,name,phones,telegram_id\nA-001,Alena Malá,603 111 222,555\nA-002,Bedřich Malý,603 333 444,777\nA-003,Cecílie Malá,,\n';
    await importCustomers(prisma, parseCustomersCsv(first, OPTS));
    const files = [
      'contract_number,name,telegram_id\nA-001,Alena Malá,777\nA-002,Bedřich Malý,555\nA-003,Cecílie Malá,\n',
      'contract_number,name,phones,telegram_id\nA-004,Dana Nová,,555\nA-002,Bedřich Malý,603 333 444,\n',
      'contract_number,name,phones\nA-001,Alena Malá,603 333 444\nA-002,Bedřich Malý,603 111 222\nA-003,Cecílie Veliká,\n',
    ];
    for (const text of files) {
      const plan = await planCustomersImport(prisma, text, OPTS);
      expect([text, plan.problems]).toEqual([text, []]);
      expect(await importCustomers(prisma, parseCustomersCsv(text, OPTS))).toEqual(plan.counts);
      // Once imported, the same file changes nothing.
      expect((await planCustomersImport(prisma, text, OPTS)).rows.every((r) => r.action === 'unchanged')).toBe(true);
    }
    const plan = await planCustomersImport(prisma, 'contract_number,name,phones\nA-003,Cecílie Malá,+420 603 000 111\nA-009,Nový,603 333 444\n', OPTS);
    expect(plan.rows).toEqual([
      {
        line: 2,
        contractNumber: 'A-003',
        name: 'Cecílie Malá',
        action: 'change',
        changes: [
          { field: 'name', from: 'Cecílie Veliká', to: 'Cecílie Malá' },
          { field: 'phones', from: null, to: '+420603000111' },
        ],
      },
    ]);
    // A-001 has that number and the file does not give A-001 another: refused, by line, as the import refuses it.
    await expect(importCustomers(prisma, parseCustomersCsv('contract_number,name,phones\nA-009,Nový,603 333 444\n', OPTS))).rejects.toThrow(
      'line 2: phone +420603333444 already belongs to contract A-001',
    );
    expect(plan.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [3, 'phoneTaken', 'phone +420603333444 already belongs to contract A-001; a phone number may belong to one customer only'],
    ]);
  });
});
