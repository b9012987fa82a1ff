// The baseline's activities do nothing: what is measured is Temporal's own cost of the shape.

export async function step(_name: string): Promise<void> {}
