// Every action the audit trail records, in one closed list, with how a person reads it. The store
// accepts only these; the coordinator's page shows the words (texts/en.ts has them in English).

export const AUDIT_ACTION_LABELS_SV = {
  PROMISE_CREATED: 'Utkastet skapades',
  VERSION_CREATED: 'En ny version av texten sparades',
  SETTINGS_CHANGED: 'Inställningarna ändrades',
  SIGNING_ROUND_STARTED: 'Texten skickades för signering',
  SIGNING_DEADLINE_MOVED: 'Sista dag att signera flyttades',
  SIGNED: 'En undertecknare signerade',
  DECLINED: 'En undertecknare avböjde',
  SIGNING_ROUND_COMPLETED: 'Signeringsomgången avslutades: alla har signerat',
  SIGNING_ROUND_DECLINED: 'Signeringsomgången avslutades: någon avböjde',
  SIGNING_ROUND_EXPIRED: 'Signeringsomgången avslutades: tiden gick ut',
  SIGNING_ROUND_SUPERSEDED: 'Signeringsomgången ersattes av en ny version',
  SIGNING_ROUND_WITHDRAWN: 'Signeringsomgången avbröts av återkallelsen',
  ACTIVATED: 'Löftet gäller: alla har signerat',
  RETURNED_TO_DRAFT_DECLINED: 'Tillbaka till utkast: någon avböjde',
  RETURNED_TO_DRAFT_EXPIRED: 'Tillbaka till utkast: tiden för signering gick ut',
  RETURNED_TO_DRAFT_ROUND_ABANDONED: 'Tillbaka till utkast: den nya versionen kunde inte skickas',
  WITHDRAWN: 'Löftet återkallades',
  NEEDS_ATTENTION: 'Ett steg misslyckades och väntar på åtgärd',
  RESUMED: 'Löftet återupptogs',
  ADDRESS_CORRECTED: 'En e-postadress rättades',
  EMAIL_SENT: 'E-post skickades',
  EMAIL_SUPPRESSED: 'E-post hölls tillbaka (för många till samma adress)',
  EMAIL_UNDELIVERABLE: 'E-post kom inte fram',
  ACTIVITY_REPORTED: 'En aktivitet rapporterades',
  ACTIVITY_REPORT_CORRECTED: 'En rapport rättades',
  OCCURRENCE_OVERDUE: 'En aktivitet är försenad: ingen har rapporterat den',
  FOLLOW_UP_DRAFTED: 'Ett utkast till uppföljning togs fram',
  PERIOD_ENDED_FOLLOW_UP_DRAFTED: 'Perioden tog slut; utkastet till slutuppföljning togs fram',
  FOLLOW_UP_PUBLISHED: 'En uppföljning publicerades',
  FOLLOW_UP_PUBLISHED_CLOSED: 'Slutuppföljningen publicerades; löftet är avslutat',
  RENEWAL_CREATED: 'Förnyelsen skapades',
  COORDINATOR_INVITED: 'En samordnare bjöds in till en organisation',
  PERSONAL_DATA_SWEPT: 'Personuppgifter gallrades enligt lagringstiderna',
  PERSONAL_DATA_ERASED: 'En persons e-postadress raderades på begäran',
  RETENTION_CHANGED: 'En organisations lagringstider för personuppgifter ändrades',
  PERSONAL_NUMBER_PINNED: 'Ett personnummer låstes för en undertecknare som signerar med BankID',
  PERSONAL_NUMBER_UNPINNED: 'Låset till ett personnummer togs bort',
  BANKID_SIGNATURE_HELD: 'En underskrift med BankID väntar på godkännande: BankID gav ett annat namn',
  BANKID_SIGNATURE_REFUSED: 'Samordnaren godtog inte en underskrift med BankID',
  COORDINATOR_REMOVED: 'En inbjudan togs tillbaka: samordnaren lämnade organisationen',
  WEBHOOK_ENDPOINT_ADDED: 'En webhook-mottagare lades till för en organisation',
  WEBHOOK_SECRET_ROTATED: 'En webhook-mottagares hemlighet byttes',
  WEBHOOK_ENDPOINT_DISABLED: 'En webhook-mottagare stängdes av',
  WEBHOOK_ENDPOINT_ENABLED: 'En webhook-mottagare sattes på igen',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS_SV;

/** An action as recorded, in words; an action recorded before this list (if any) as its code. */
export const auditActionLabel = (labels: Record<AuditAction, string>, action: string): string =>
  action in labels ? labels[action as AuditAction] : action;
