import { describeNumber } from '../../core/lookups/number-infos.js';
import type { CdrSnapshot } from '../../core/telephony/telephony.events.js';
import { callrAmount, callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/** CALLR's `CDR.Out` (outbound call detail record). */
export interface CallrCdrOut {
  answer: string;
  billing_customer_cost_label: string;
  billing_customer_credit_eur: string;
  billing_customer_debit_eur: string;
  callid: number;
  callid_in: number;
  cli_name: string;
  cli_number: string;
  cli_pres: 'allowed_passed_screen' | 'prohib_passed_screen';
  customer_field: string;
  dialstatus: string;
  duration: number;
  duration_answered: number;
  duration_billed: number;
  hangup: string;
  hangupcause: number;
  hangupsource: string;
  number: string;
  number_country_code: string;
  number_type: string;
  package_name: string;
  scenario_hash: string;
  scenario_name: string;
  start: string;
}

/** CALLR's `CDR.In` (inbound call detail record). */
export interface CallrCdrIn {
  answer: string;
  billing_customer_cost_label: string;
  billing_customer_credit_eur: string;
  billing_customer_debit_eur: string;
  callid: number;
  cli_country_code: string;
  cli_name: string;
  cli_number: string;
  cli_number_type: string;
  cli_pres: 'allowed_passed_screen' | 'prohib_passed_screen';
  customer_field: string;
  did_hash: string;
  did_intl_number: string;
  duration: number;
  duration_answered: number;
  duration_billed: number;
  hangup: string;
  hangupcause: number;
  hangupsource: string;
  package_name: string;
  scenario_hash: string;
  scenario_name: string;
  start: string;
}

const dateTime = (iso: string) => callrDateTime(new Date(iso));

/** "France MOBILE": the destination as billed (country and libphonenumber's line type). */
function costLabel(number: string): { country: string; type: string; label: string } {
  const facts = describeNumber(number);
  return {
    country: facts.countryCode,
    type: facts.type,
    label: [facts.location, facts.type].filter((part) => part !== '').join(' '),
  };
}

/** The fields both directions share. An unanswered call's `answer` is "" (the type has no null). */
function common(cdr: CdrSnapshot) {
  const blocked = cdr.cli === 'BLOCKED';
  return {
    answer: cdr.answeredAt === null ? '' : dateTime(cdr.answeredAt),
    billing_customer_credit_eur: callrAmount(0),
    billing_customer_debit_eur: callrAmount(cdr.debitCents),
    callid: cdr.callid,
    cli_name: '',
    cli_number: blocked ? '' : cdr.cli,
    cli_pres: blocked ? ('prohib_passed_screen' as const) : ('allowed_passed_screen' as const),
    customer_field: cdr.cdrField,
    duration: cdr.duration,
    duration_answered: cdr.durationAnswered,
    duration_billed: cdr.durationBilled,
    hangup: dateTime(cdr.endedAt),
    hangupcause: cdr.hangupCause,
    hangupsource: cdr.hangupSource,
    package_name: cdr.packageName,
    scenario_hash: cdr.appId === null ? '' : encodeHash('app', cdr.appId),
    scenario_name: cdr.appName,
    start: dateTime(cdr.startedAt),
  };
}

export function toCallrCdrOut(cdr: CdrSnapshot): CallrCdrOut {
  const destination = costLabel(cdr.number);
  const shared = common(cdr);
  return {
    answer: shared.answer,
    billing_customer_cost_label: destination.label,
    billing_customer_credit_eur: shared.billing_customer_credit_eur,
    billing_customer_debit_eur: shared.billing_customer_debit_eur,
    callid: shared.callid,
    // A CALLTRACKING10 forward continues an inbound call; other outbound calls stand alone.
    callid_in: cdr.parentCallId ?? 0,
    cli_name: shared.cli_name,
    cli_number: shared.cli_number,
    cli_pres: shared.cli_pres,
    customer_field: shared.customer_field,
    dialstatus: cdr.dialStatus,
    duration: shared.duration,
    duration_answered: shared.duration_answered,
    duration_billed: shared.duration_billed,
    hangup: shared.hangup,
    hangupcause: shared.hangupcause,
    hangupsource: shared.hangupsource,
    number: cdr.number,
    number_country_code: destination.country,
    number_type: destination.type,
    package_name: shared.package_name,
    scenario_hash: shared.scenario_hash,
    scenario_name: shared.scenario_name,
    start: shared.start,
  };
}

/** An inbound call: `number` is the DID called, `cli` the caller; a DID since deleted has no hash. */
export function toCallrCdrIn(cdr: CdrSnapshot): CallrCdrIn {
  const caller = costLabel(cdr.cli);
  const shared = common(cdr);
  return {
    answer: shared.answer,
    billing_customer_cost_label: costLabel(cdr.number).label,
    billing_customer_credit_eur: shared.billing_customer_credit_eur,
    billing_customer_debit_eur: shared.billing_customer_debit_eur,
    callid: shared.callid,
    cli_country_code: caller.country,
    cli_name: shared.cli_name,
    cli_number: shared.cli_number,
    cli_number_type: caller.type,
    cli_pres: shared.cli_pres,
    customer_field: shared.customer_field,
    did_hash: cdr.didId == null ? '' : encodeHash('did', cdr.didId),
    did_intl_number: cdr.number,
    duration: shared.duration,
    duration_answered: shared.duration_answered,
    duration_billed: shared.duration_billed,
    hangup: shared.hangup,
    hangupcause: shared.hangupcause,
    hangupsource: shared.hangupsource,
    package_name: shared.package_name,
    scenario_hash: shared.scenario_hash,
    scenario_name: shared.scenario_name,
    start: shared.start,
  };
}
