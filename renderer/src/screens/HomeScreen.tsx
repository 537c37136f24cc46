import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { SCREENS } from '../navigation';
import { can, useSession } from '../stores/session';

export function HomeScreen() {
  const { t } = useTranslation();
  const session = useSession((s) => s.session)!;
  const reachable = SCREENS.filter((s) => s.path !== '/' && can(session, s.permission));
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title', { name: session.fullName })}</h1>
      <p>{t('home.roles', { roles: session.roles.map((r) => t(`roles.${r}`)).join(', ') })}</p>
      {reachable.length > 0 ? (
        <>
          <h2>{t('home.shortcuts')}</h2>
          <ul className="tiles">
            {reachable.map((s) => (
              <li key={s.path}>
                <Link to={s.path}>{t(s.labelKey)}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="hint">{t('home.paletteHint')}</p>
    </section>
  );
}
