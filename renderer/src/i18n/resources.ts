import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import customersEn from './customers.en.json' with { type: 'json' };
import customersEs from './customers.es.json' with { type: 'json' };
import documentsEn from './documents.en.json' with { type: 'json' };
import documentsEs from './documents.es.json' with { type: 'json' };
import governanceEn from './governance.en.json' with { type: 'json' };
import governanceEs from './governance.es.json' with { type: 'json' };
import depositsEn from './deposits.en.json' with { type: 'json' };
import depositsEs from './deposits.es.json' with { type: 'json' };
import tillsEn from './tills.en.json' with { type: 'json' };
import tillsEs from './tills.es.json' with { type: 'json' };
import tellerJournalEn from './teller-journal.en.json' with { type: 'json' };
import tellerJournalEs from './teller-journal.es.json' with { type: 'json' };
import cashControlsEn from './cash-controls.en.json' with { type: 'json' };
import cashControlsEs from './cash-controls.es.json' with { type: 'json' };
import offlineEn from './offline.en.json' with { type: 'json' };
import offlineEs from './offline.es.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };

/** Module files add their own sections (and their own `errors.*` keys) to the common file. */
function merge(...trees: Tree[]): Tree {
  const out: Tree = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      const prev = out[key];
      out[key] = typeof value === 'object' && typeof prev === 'object' ? merge(prev, value) : value;
    }
  }
  return out;
}

export const RESOURCES = {
  en: merge(
    en,
    customersEn,
    documentsEn,
    governanceEn,
    depositsEn,
    tillsEn,
    tellerJournalEn,
    cashControlsEn,
    offlineEn,
  ),
  es: merge(
    es,
    customersEs,
    documentsEs,
    governanceEs,
    depositsEs,
    tillsEs,
    tellerJournalEs,
    cashControlsEs,
    offlineEs,
  ),
};
