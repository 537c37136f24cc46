import { openDatabase, type Database, type DatabaseTarget } from './db';
import { systemClock, type Clock } from './clock';
import { createAuditService, type AuditService } from './modules/audit';
import { createAccessService, identityCache, type AccessService } from './modules/access';
import { createBankService, type BankService } from './modules/bank';
import type { ScryptCost } from './modules/access/passwords';
import { ConnectivityMonitor } from './offline/monitor';
import { LocalStore, migrateOrDefer, startOffline, type OfflineService } from './offline';
import { createLedger, type Ledger } from './ledger';
import { createAccountingService, type AccountingService } from './modules/accounting';
import { createCustomerService, type CustomerService } from './modules/customers';
import { createDocumentService, type DocumentService } from './modules/documents';
import { BANK_EVENTS_CHANNEL, createGovernanceService, type GovernanceService } from './modules/governance';
import { createDepositService, type DepositService } from './modules/deposits';
import { createTillService, type TillService } from './modules/tills';
import { createTellerJournalService, type TellerJournalService } from './modules/teller-journal';
import { createCashControlService, type CashControlService } from './modules/cash-controls';

export interface ServicesOptions {
  database: DatabaseTarget;
  clock?: Clock;
  scryptCost?: ScryptCost;
  /** Probe interval of the connectivity monitor; 0 leaves it stopped (tests probe by hand). */
  monitorIntervalMs?: number;
  /**
   * The workstation's local store (a folder, or 'memory://'): with it the app starts and works
   * offline when the bank server cannot be reached (ARCHITECTURE 6). Without it, it needs the bank.
   */
  localStore?: string;
}

/** The composition root of the main process: one database, one clock, every domain service. */
export interface Services {
  database: Database;
  clock: Clock;
  schemaVersion: string;
  audit: AuditService;
  access: AccessService;
  bank: BankService;
  ledger: Ledger;
  accounting: AccountingService;
  customers: CustomerService;
  documents: DocumentService;
  governance: GovernanceService;
  deposits: DepositService;
  tills: TillService;
  tellerJournal: TellerJournalService;
  cashControls: CashControlService;
  /** Unregisters the governed modules' conclusion handlers: for tests of governance on its own. */
  releaseConclusionHandlers(): void;
  monitor: ConnectivityMonitor;
  /** Null where the workstation keeps no local store. */
  offline: OfflineService | null;
  close(): Promise<void>;
}

export async function startServices(opts: ServicesOptions): Promise<Services> {
  const store = opts.localStore ? await LocalStore.open(opts.localStore) : null;
  const database = await openDatabase(store ? { ...opts.database, lazy: true } : opts.database).catch(
    async (err) => {
      await store?.close();
      throw err;
    },
  );
  try {
    const { schemaVersion, deferred } = await migrateOrDefer(database.knex, store);
    const clock = opts.clock ?? systemClock;
    const audit = createAuditService(database.knex);
    const access = createAccessService(database.knex, audit, {
      scryptCost: opts.scryptCost,
      embedded: database.kind === 'embedded',
      identityCache: database.kind === 'server' ? identityCache() : undefined,
    });
    const ledger = createLedger();
    const accounting = createAccountingService(database.knex, ledger);
    const bank = createBankService(database.knex, access, accounting);
    const documents = createDocumentService(database.knex, { embedded: database.kind === 'embedded' });
    const governance = createGovernanceService(database.knex, clock);
    const deposits = createDepositService(database.knex, { ledger, accounting, governance, bank, clock });
    // Conversion opens the customer's deposit account; deposits reads customers' tables, not its service.
    const customers = createCustomerService(database.knex, audit, deposits);
    // The counter (issue 6): each of these registers its hooks on deposit and withdrawal steps with
    // deposits.registerCounterHooks, in this order: the till first (it picks the cash account),
    // then limits and overrides, then the journal and large-cash alerts (they record what happened).
    const tellerJournal = createTellerJournalService(database.knex, { bank });
    const tills = createTillService(database.knex, { ledger, accounting, bank, tellerJournal, documents });
    deposits.registerCounterHooks(tills.counterHooks);
    accounting.registerMonthCloseCheck((trx, monthEnd) => tills.assertNoOpenTillsUpTo(trx, monthEnd));
    const cashControls = createCashControlService(database.knex, { access, bank, ledger, tellerJournal });
    deposits.registerCounterHooks(cashControls.counterHooks);
    deposits.registerCounterHooks(tellerJournal.counterHooks);
    // A withdrawal's approval concludes in the transaction that decides it (DOMAIN 11).
    const conclusionHandlers = [
      governance.onConcluded('withdraw', (trx, process) => deposits.onWithdrawConcluded(trx, process)),
      governance.onVote('withdraw', (trx, vote) => deposits.assertWithdrawalDecidable(trx, vote)),
    ];
    // Approvals changed on any workstation (NOTIFY at commit): pushed on to this one's renderers.
    // Staff changed: this workstation's copies of identities are dropped.
    const unlistenBankEvents = await database.listen(
      BANK_EVENTS_CHANNEL,
      (payload) => {
        access.bankEvent(payload);
        governance.dispatch(payload);
      },
      (listening) => access.bankEventsListening(listening),
    );
    const monitor = new ConnectivityMonitor(database.knex, clock, {
      intervalMs: opts.monitorIntervalMs,
      initial: deferred ? 'offline' : 'online',
    });
    if (opts.monitorIntervalMs !== 0) monitor.start();
    const services: Services = {
      database,
      clock,
      schemaVersion,
      audit,
      access,
      bank,
      ledger,
      accounting,
      customers,
      documents,
      governance,
      deposits,
      tills,
      tellerJournal,
      cashControls,
      releaseConclusionHandlers: () => conclusionHandlers.forEach((release) => release()),
      monitor,
      offline: null,
      async close() {
        monitor.stop();
        await services.offline?.close();
        await unlistenBankEvents().catch(() => undefined);
        await database.close();
      },
    };
    if (store) {
      services.offline = startOffline(services, store, {
        scryptCost: opts.scryptCost,
        migrationPending: deferred,
      });
    }
    return services;
  } catch (err) {
    await database.close();
    await store?.close();
    throw err;
  }
}
