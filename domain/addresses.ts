/** E-mail addresses are the same whatever their case: a correction, a bounce and a resend all compare them so. */
export const sameAddress = (a: string | null | undefined, b: string): boolean => a?.toLowerCase() === b.toLowerCase();
