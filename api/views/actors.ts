/** Who did something, as a page says it: a name already looked up, a contact's address, or the service itself. */
export const actorLabel = (actor: string, theService: string) =>
  actor.startsWith('SYSTEM:') ? theService : actor.startsWith('CONTACT:') ? actor.slice('CONTACT:'.length) : actor;
