/** Who did something, for the audit log. */
export interface Actor {
  kind: 'COORDINATOR' | 'SIGNATORY' | 'SYSTEM';
  id: string;
  ipAddress?: string;
  userAgent?: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'SYSTEM', id: 'workflow' };
