import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SCREENS } from '../navigation';
import { LANGUAGES, rememberLanguage } from '../i18n';
import { can, useSession } from '../stores/session';
import { Modal } from './ui';
import { call } from '../api';
import type { CustomerHitDto } from '@shared/contract';

interface PaletteItem {
  id: string;
  label: string;
  run: () => void;
}

/** Ctrl/Cmd+K: every screen the user may open and the session's actions, typed to filter. */
export function CommandPalette({
  onClose,
  onLock,
  onLogout,
}: {
  onClose: () => void;
  onLock: () => void;
  onLogout: () => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const session = useSession((s) => s.session);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const items = useMemo<PaletteItem[]>(() => {
    const screens = SCREENS.filter((s) => can(session, s.permission)).map((s) => ({
      id: s.path,
      label: t(s.labelKey),
      run: () => navigate(s.path),
    }));
    const other = LANGUAGES.filter((l) => l !== i18n.language).map((l) => ({
      id: `lang-${l}`,
      label: t('palette.language', { language: t(`language.${l}`) }),
      run: () => rememberLanguage(l),
    }));
    return [
      ...screens,
      ...other,
      { id: 'lock', label: t('palette.lock'), run: onLock },
      { id: 'logout', label: t('palette.logout'), run: onLogout },
    ];
  }, [session, t, i18n.language, navigate, onLock, onLogout]);

  // Customers matching the query (2 characters or more), for whoever may read customers.
  const [customers, setCustomers] = useState<CustomerHitDto[]>([]);
  const readCustomers = can(session, 'customer.read');
  useEffect(() => {
    const term = query.trim();
    if (!readCustomers || term.length < 2) {
      setCustomers([]);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      call('customer.search', { query: term, limit: 8 })
        .then((hits) => {
          if (current) setCustomers(hits);
        })
        .catch(() => {
          if (current) setCustomers([]);
        });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, readCustomers]);

  const q = query.trim().toLowerCase();
  const customerItems: PaletteItem[] = customers.map((c) => ({
    id: `customer-${c.id}`,
    label: t('palette.customer', { publicId: c.publicId, name: c.fullName }),
    run: () => navigate(`/customers/${c.id}`),
  }));
  const shown = [...(q ? items.filter((i) => i.label.toLowerCase().includes(q)) : items), ...customerItems];
  const choose = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    item.run();
  };

  return (
    <Modal title={t('palette.title')} onClose={onClose}>
      <input
        className="palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[active] ? `palette-${shown[active].id}` : undefined}
        aria-label={t('palette.placeholder')}
        placeholder={t('palette.placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, shown.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            choose(shown[active]);
          }
        }}
      />
      <ul id="palette-list" role="listbox" className="palette-list">
        {shown.map((item, i) => (
          <li
            key={item.id}
            id={`palette-${item.id}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(item);
            }}
          >
            {item.label}
          </li>
        ))}
        {shown.length === 0 ? <li className="empty">{t('palette.empty')}</li> : null}
      </ul>
    </Modal>
  );
}
