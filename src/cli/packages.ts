/**
 * `linka packages import FILE.csv`: the prepaid hour packages customers bought (columns in
 * src/import/packages-csv.ts and docs/billing.md). Every row is checked first; one bad row
 * imports nothing; importing the same file again changes nothing.
 */
import { checkPackages, importPackages, parsePackagesCsv } from '../import/packages-csv.js';
import { type CliIo, configOf, readInputFile, withDatabase } from './command.js';

/** Runs `linka packages import FILE.csv`; returns the exit code. */
export async function packagesImport(file: string, io: CliIo): Promise<number> {
  const config = configOf(io);
  const raw = parsePackagesCsv(readInputFile(file));
  return withDatabase(io.env, async (db) => {
    const rows = await checkPackages(db.prisma, raw, config.billing);
    const counts = await importPackages(db.prisma, rows, new Date());
    io.out(`Imported ${rows.length} package(s) from ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.`);
    return 0;
  });
}
