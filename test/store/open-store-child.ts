/**
 * Run by embedded.test.ts as a second process (like `hivewire audit` beside `hivewire serve`): opens the
 * store of a data directory, reads an alert, appends an audit event, and prints what it saw as JSON.
 */
import { openStore } from '../../src/store/embedded';

async function main([dataDir = '', fingerprint = '']: string[]): Promise<void> {
  const opened = await openStore(dataDir);
  try {
    const alert = await opened.store.getAlert(fingerprint);
    await opened.store.appendAudit({ fingerprint, actor: { kind: 'system' }, action: 'read-by-child' });
    process.stdout.write(JSON.stringify({ endpoint: opened.endpoint, title: alert?.finding.title ?? null }));
  } finally {
    await opened.close();
  }
}

void main(process.argv.slice(3));
