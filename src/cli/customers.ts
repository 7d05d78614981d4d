/** `linka customers import FILE.csv`: import or update customers by contract number (columns in src/import/customers-csv.ts). */
import { type CliIo, configOf, readInputFile, withDatabase } from './command.js';

export async function customersImport(file: string, io: CliIo): Promise<number> {
  const config = configOf(io);
  const text = readInputFile(file);
  const { importCustomers, importOptionsOf, parseCustomersCsv, planWarnings } = await import('../import/customers-csv.js');
  // The console's upload (src/console/customer-import.ts) reads a file with the same options.
  const rows = parseCustomersCsv(text, importOptionsOf(config));
  // Shown, never refused: a customer may end a plan early and pay out its minimum term.
  for (const warning of planWarnings(rows, config.tiers)) io.err(`warning: ${warning}`);
  return withDatabase(io.env, async (db) => {
    const counts = await importCustomers(db.prisma, rows);
    io.out(`Imported ${rows.length} customer(s) from ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.`);
    return 0;
  });
}
