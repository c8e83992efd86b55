import type { EntityManager } from 'typeorm';
import type { VoucherClaimDecisionPayload, VoucherDecisionTopic, VoucherGrantDecisionPayload } from '@app/queue';

type GrantTopic = Extract<VoucherDecisionTopic, `voucher.grant_${string}`>;
type ClaimTopic = Extract<VoucherDecisionTopic, `voucher.claim_${string}`>;

/**
 * The outbox message of a voucher decision, in the decision's transaction: it commits with the
 * decision or not at all, and the worker turns it into the notices of the people it concerns
 * (the applicant; the provider's lab managers), once.
 */
export function recordVoucherDecision(manager: EntityManager, topic: GrantTopic, payload: VoucherGrantDecisionPayload): Promise<void>;
export function recordVoucherDecision(manager: EntityManager, topic: ClaimTopic, payload: VoucherClaimDecisionPayload): Promise<void>;
export async function recordVoucherDecision(manager: EntityManager, topic: VoucherDecisionTopic, payload: VoucherGrantDecisionPayload | VoucherClaimDecisionPayload): Promise<void> {
  await manager.query(`INSERT INTO outbox_message (topic, payload) VALUES ($1, $2)`, [topic, JSON.stringify(payload)]);
}
