/** 8. `--number`: saved in the phone's contacts (then caller ID stays silent by design), in the CRM, in the last dataset. */
import type { Check, CheckContext, CheckResult, Facts } from '../types.js';
import { evidence, info, msg, result, worst, findings } from './util.js';

export const numberCheck: Check = {
  id: 'number',
  run(facts: Facts, ctx: CheckContext): CheckResult {
    const n = ctx.number;
    if (!n) return result('number', 'not_applicable', { details: [info('doctor.number.notGiven')] });
    const { statuses, details, advice } = findings();
    const lookup = facts.numberLookup;
    if (!lookup || 'error' in lookup) {
      statuses.push('unknown');
      details.push({ ...msg('doctor.number.contactsUnknown'), level: 'warning' });
    } else if (lookup.hits.length) {
      statuses.push('warning');
      // Expected behaviour, not a failure: always a warning, whatever the CRM half finds.
      details.push({ ...msg('doctor.number.inContacts', { count: lookup.hits.length }), level: 'warning' });
      advice.push(msg('doctor.number.inContactsAdvice'));
    } else {
      statuses.push('ok');
      details.push(info('doctor.number.notInContacts'));
    }
    switch (n.crm.status) {
      case 'found':
        statuses.push('ok');
        details.push(info('doctor.number.inCrm', { count: n.crm.count }));
        break;
      case 'not_found':
        statuses.push('problem');
        details.push({ ...msg('doctor.number.notInCrm'), level: 'problem' });
        advice.push(msg('doctor.number.notInCrmAdvice'));
        break;
      case 'not_logged_in':
        statuses.push('unknown');
        details.push({ ...msg('doctor.number.crmNotLoggedIn'), level: 'warning' });
        break;
      default:
        statuses.push('unknown');
        details.push({ ...msg('doctor.number.crmError', { reason: n.crm.reason }), level: 'warning' });
    }
    switch (n.dataset.status) {
      case 'found':
        statuses.push('ok');
        details.push(info('doctor.number.inDataset', { label: n.dataset.label, date: n.dataset.generatedAt }));
        break;
      case 'missing':
        statuses.push('problem');
        details.push({ ...msg('doctor.number.notInDataset', { label: n.dataset.label, date: n.dataset.generatedAt }), level: 'problem' });
        advice.push(msg('doctor.number.rebuildAdvice'));
        break;
      case 'error':
        statuses.push('unknown');
        details.push({ ...msg('doctor.number.datasetError', { reason: n.dataset.reason }), level: 'warning' });
        break;
      default:
        statuses.push('unknown');
        details.push({ ...msg('doctor.number.noDataset'), level: 'warning' });
    }
    return result('number', worst(statuses), { details, advice, evidence: evidence(facts, 'lookup') });
  },
};
