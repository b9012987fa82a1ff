/** Who did something, for the audit log. */
export interface Actor {
  /** CONTACT: an activity's responsible contact, through the personal report link. */
  kind: 'COORDINATOR' | 'SIGNATORY' | 'CONTACT' | 'SYSTEM';
  id: string;
  ipAddress?: string;
  userAgent?: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'SYSTEM', id: 'workflow' };
