import { useCallback, useEffect, useState } from 'react';
import { HashRouter, NavLink, Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { call } from './api';
import { SCREENS } from './navigation';
import { can, useSession } from './stores/session';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { CommandPalette } from './components/CommandPalette';
import { useIdleLock } from './components/useIdleLock';
import { SetupScreen } from './screens/SetupScreen';
import { LoginScreen } from './screens/LoginScreen';
import { ChangePasswordScreen } from './screens/ChangePasswordScreen';
import { LockOverlay } from './screens/LockOverlay';
import { HomeScreen } from './screens/HomeScreen';
import { UsersScreen } from './screens/UsersScreen';
import { AuditScreen } from './screens/AuditScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { ChartScreen } from './screens/ChartScreen';
import { FiscalYearScreen } from './screens/FiscalYearScreen';
import { ManualJournalScreen } from './screens/ManualJournalScreen';
import { TrialBalanceScreen } from './screens/TrialBalanceScreen';
import { LedgerAccountScreen, LedgerAccountsScreen } from './screens/LedgerAccountScreen';
import { JournalScreen } from './screens/JournalScreen';
import { CustomersScreen } from './screens/CustomersScreen';
import { CustomerScreen } from './screens/CustomerScreen';
import { ProspectsScreen } from './screens/ProspectsScreen';
import { ProspectScreen } from './screens/ProspectScreen';
import { IntegrationScreen } from './screens/IntegrationScreen';
import { ApprovalsScreen, ProcessesScreen } from './screens/ApprovalsScreen';
import { OutboxScreen } from './screens/OutboxScreen';
import { CommitteesScreen } from './screens/CommitteesScreen';
import { PoliciesScreen } from './screens/PoliciesScreen';
import { DepositAccountsScreen } from './screens/DepositAccountsScreen';
import { DepositAccountScreen } from './screens/DepositAccountScreen';
import { CashLimitsScreen } from './screens/CashLimitsScreen';
import { OverridesScreen } from './screens/OverridesScreen';
import { CashReportsScreen } from './screens/CashReportsScreen';
import { CashAlerts } from './components/cash-controls/CashAlerts';
import { OwnJournalScreen, TellerJournalScreen } from './screens/TellerJournalScreen';
import { ReceiptVerifyScreen } from './screens/ReceiptVerifyScreen';
import { BranchesScreen } from './screens/BranchesScreen';
import { TillScreen } from './screens/TillScreen';
import { CounterScreen } from './screens/CounterScreen';
import { BranchPositionScreen } from './screens/BranchPositionScreen';

const ROUTES: Record<string, () => React.JSX.Element | null> = {
  '/': HomeScreen,
  '/customers': CustomersScreen,
  '/prospects': ProspectsScreen,
  '/deposit-accounts': DepositAccountsScreen,
  '/users': UsersScreen,
  '/audit': AuditScreen,
  '/chart': ChartScreen,
  '/trial-balance': TrialBalanceScreen,
  '/ledger': LedgerAccountsScreen,
  '/journal': JournalScreen,
  '/manual': ManualJournalScreen,
  '/fiscal': FiscalYearScreen,
  '/integration': IntegrationScreen,
  '/approvals': ApprovalsScreen,
  '/committees': CommitteesScreen,
  '/policies': PoliciesScreen,
  '/processes': ProcessesScreen,
  '/outbox': OutboxScreen,
  '/overrides': OverridesScreen,
  '/cash-reports': CashReportsScreen,
  '/cash-limits': CashLimitsScreen,
  '/teller-journal': TellerJournalScreen,
  '/my-journal': OwnJournalScreen,
  '/receipts/verify': ReceiptVerifyScreen,
  '/settings': SettingsScreen,
  '/counter': CounterScreen,
  '/till': TillScreen,
  '/branch-position': BranchPositionScreen,
  '/branches': BranchesScreen,
};

function Shell() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session)!;
  const info = useSession((s) => s.info);
  const setSession = useSession((s) => s.setSession);
  const markLocked = useSession((s) => s.markLocked);
  const [palette, setPalette] = useState(false);

  const lock = useCallback(() => {
    markLocked();
    void call('session.lock', {}).catch(() => undefined);
  }, [markLocked]);
  const logout = useCallback(() => {
    void call('session.logout', {}).finally(() => setSession(null));
  }, [setSession]);

  useIdleLock(session.idleLockMinutes, session.locked, lock);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k' && !session.locked) {
        e.preventDefault();
        setPalette(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session.locked]);

  const screens = SCREENS.filter((s) => can(session, s.permission));
  return (
    <>
      <div className="shell" inert={session.locked} aria-hidden={session.locked}>
        <a className="skip" href="#main">
          {t('app.skipToContent')}
        </a>
        <nav className="nav" aria-label={t('nav.main')}>
          <div className="brand">{info?.bankName}</div>
          <ul>
            {screens.map((s) => (
              <li key={s.path}>
                <NavLink to={s.path} end>
                  {t(s.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" id="main" tabIndex={-1}>
          <Routes>
            {screens.map((s) => {
              const Screen = ROUTES[s.path]!;
              return <Route key={s.path} path={s.path} element={<Screen />} />;
            })}
            {can(session, 'accounting.read') ? (
              <Route path="/ledger/accounts/:id" element={<LedgerAccountScreen />} />
            ) : null}
            {can(session, 'customer.read') ? (
              <>
                <Route path="/customers/:id" element={<CustomerScreen />} />
                <Route path="/prospects/:id" element={<ProspectScreen />} />
              </>
            ) : null}
            {can(session, 'deposit.read') ? (
              <Route path="/deposit-accounts/:id" element={<DepositAccountScreen />} />
            ) : null}
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </main>
        <StatusBar onLock={lock} onLogout={logout} />
        <CashAlerts />
      </div>
      {session.locked ? <LockOverlay onLogout={logout} /> : null}
      {palette ? <CommandPalette onClose={() => setPalette(false)} onLock={lock} onLogout={logout} /> : null}
    </>
  );
}

export function App() {
  const { t } = useTranslation();
  const loaded = useSession((s) => s.loaded);
  const info = useSession((s) => s.info);
  const session = useSession((s) => s.session);

  if (!loaded || !info) {
    return (
      <div className="centered" role="status">
        {t('app.loading')}
      </div>
    );
  }
  let screen: React.JSX.Element;
  if (info.needsSetup) screen = <SetupScreen />;
  else if (!session) screen = <LoginScreen />;
  else if (session.mustChangePassword) screen = <ChangePasswordScreen />;
  else
    return (
      <HashRouter>
        <Shell />
        <Toasts />
      </HashRouter>
    );
  return (
    <div className="public">
      {screen}
      <StatusBar
        onLogout={
          session
            ? () => void call('session.logout', {}).finally(() => useSession.getState().setSession(null))
            : undefined
        }
      />
      <Toasts />
    </div>
  );
}
