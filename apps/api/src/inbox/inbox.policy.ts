import { Principal } from '@tsunagi/domain';
import type { Recipient } from '@tsunagi/notifications';

/**
 * Whose notifications a caller's inbox holds. An inbox is personal: everyone reads what was addressed to their
 * token's subject (coordinators are told as subjects, having no profile); a volunteer also what was addressed to
 * the person they are; a representative also what was addressed to the organisations they act for (shared by its
 * representatives: one of them reading it reads it for all). Admins and analysts read their own subject's only.
 */
export function inboxOf(principal: Principal): Recipient[] {
  const recipients: Recipient[] = [{ type: 'subject', id: principal.subject }];
  if (principal.role === 'volunteer' && principal.personId) recipients.push({ type: 'person', id: principal.personId });
  if (principal.role === 'organisation') recipients.push(...principal.organisationIds.map((id): Recipient => ({ type: 'organisation', id })));
  return recipients;
}

/** Only the recipient marks a notification read; nobody else, admins included. */
export function isRecipient(principal: Principal, recipient: Recipient): boolean {
  return inboxOf(principal).some((r) => r.type === recipient.type && r.id === recipient.id);
}
