import type { Commitment, CommitmentShape, Contact, PromiseContent, Step } from './content';

// Reading a promise's content as it was stored: its contacts, its steps, a commitment by key.
// Free of zod (the schemas are in domain/content.ts), so the workflow bundle can use it.

/**
 * A version's content as it was stored. It passed the schema of its day, and its hash was signed:
 * it is read back as it is, not checked again against rules added since, so every stored promise
 * and every link to it keeps opening.
 */
export const storedContent = (json: unknown): PromiseContent => json as PromiseContent;

/** A commitment's contacts, in the order given; stored content may hold the older single `contact`. */
export const contactsOf = (commitment: { contact?: Contact; contacts?: Contact[] }): Contact[] =>
  commitment.contacts ?? (commitment.contact ? [commitment.contact] : []);

/** A commitment of the content by its key. */
export const findCommitment = (content: PromiseContent, key: string): Commitment | undefined =>
  content.priorityAreas.flatMap((area) => area.commitments).find((commitment) => commitment.key === key);

/** A commitment's shape as its steps: one for a simple shape, each step for STEPS. */
export const stepsOf = (shape: CommitmentShape): Step[] => (shape.kind === 'STEPS' ? shape.steps : [shape]);

/** The shape with every date in it (one-off dates, start dates) moved by `move`. */
export function withShapeDatesMoved<S extends CommitmentShape>(shape: S, move: (date: string) => string): S {
  const step = (s: Step): Step => {
    if (s.kind === 'ONE_OFF') return s.dueDate ? { ...s, dueDate: move(s.dueDate) } : s;
    return s.from ? { ...s, from: move(s.from) } : s;
  };
  return (shape.kind === 'STEPS' ? { ...shape, steps: shape.steps.map(step) } : step(shape)) as S;
}

/** A copy of the content with every signatory's and contact's address passed through `map`. */
export function withAddressesMapped(content: PromiseContent, map: (address: string) => string): PromiseContent {
  const copy = structuredClone(content);
  for (const signatory of copy.signatories) signatory.email = map(signatory.email);
  for (const commitment of copy.priorityAreas.flatMap((area) => area.commitments)) {
    for (const contact of contactsOf(commitment)) contact.email = map(contact.email);
  }
  return copy;
}
