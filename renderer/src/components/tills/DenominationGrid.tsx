import { useTranslation } from 'react-i18next';
import type { DenominationDto } from '@shared/contract';
import { formatMoney } from '@shared/money';
import { countOf, typedTotal, type TypedCounts } from './counts';
import './tills.css';

/**
 * Notes and coins counted one line per denomination, with the live total; against an amount it
 * says whether the count matches. Keyboard first: one number field per line, in order.
 */
export function DenominationGrid(props: {
  label: string;
  denominations: readonly DenominationDto[];
  counts: TypedCounts;
  onChange(next: TypedCounts): void;
  /** The amount the count must make (minor units); absent for a blind count. */
  amount?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const money = (minor: bigint | string) => formatMoney(String(minor), 'USD', i18n.language);
  const total = typedTotal(props.counts);
  const amount = props.amount ? BigInt(props.amount) : null;
  return (
    <fieldset className="denominations" data-testid="denominations">
      <legend>{props.label}</legend>
      <table className="grid compact">
        <thead>
          <tr>
            <th scope="col">{t('tills.denomination')}</th>
            <th scope="col" className="num">
              {t('tills.count')}
            </th>
            <th scope="col" className="num">
              {t('tills.lineTotal')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.denominations.map((d) => {
            const count = countOf(props.counts[d.value]);
            const label = `${money(d.value)} ${t(d.kind === 'note' ? 'tills.kindNote' : 'tills.kindCoin')}`;
            return (
              <tr key={d.value}>
                <td className={d.kind}>{label}</td>
                <td className="num">
                  <input
                    type="number"
                    inputMode="numeric"
                    min={0}
                    step={1}
                    name={`count-${d.value}`}
                    aria-label={label}
                    value={props.counts[d.value] ?? ''}
                    onChange={(e) => props.onChange({ ...props.counts, [d.value]: e.target.value })}
                  />
                </td>
                <td className="num">{count ? money(BigInt(d.value) * BigInt(count)) : ''}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <td>
              <strong>{t('tills.total')}</strong>
            </td>
            <td />
            <td className="num" data-testid="count-total">
              <strong>{money(total)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      {amount !== null ? (
        <p className={total === amount ? 'ok' : 'hint'} aria-live="polite" data-testid="count-match">
          {total === amount
            ? t('tills.matches')
            : t('tills.differs', { amount: money(amount), difference: money(total - amount) })}
        </p>
      ) : null}
    </fieldset>
  );
}
