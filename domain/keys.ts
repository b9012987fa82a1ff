// Keys a coordinator need not invent. A party, participant, signatory, priority area or
// commitment without a key gets one made from its name (a commitment: from the start of its
// text), so the same name gives the same key in every version and renewal, and another party's
// signatories and commitments can name it: "Lessebo kommun" is "lessebo-kommun", "Åstorps
// kommun" is "astorps-kommun". A key given is kept as it is.

const LETTERS: Record<string, string> = { å: 'a', ä: 'a', ö: 'o', é: 'e', è: 'e', ü: 'u', æ: 'ae', ø: 'o' };
const MAX_LENGTH = 40;

/** The key a name gives: lower case a–z, digits and hyphens, cut at a word within 40 characters. */
export function keyFromName(name: string, fallback: string): string {
  const words = name
    .toLowerCase()
    .replace(/[åäöéèüæø]/g, (c) => LETTERS[c]!)
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let key = '';
  for (const word of words) {
    const next = key ? `${key}-${word}` : word;
    if (next.length > MAX_LENGTH) break;
    key = next;
  }
  return key || (words[0]?.slice(0, MAX_LENGTH) ?? '') || fallback;
}

/** Keys for items of one kind: given ones kept, the rest made from names and numbered apart ("-2", "-3"). */
export function withKeys<T extends { key?: string }>(items: T[], nameOf: (item: T) => string, fallback: string, taken = new Set<string>()) {
  for (const item of items) if (item.key) taken.add(item.key);
  return items.map((item) => {
    if (item.key) return { ...item, key: item.key };
    const base = keyFromName(nameOf(item), fallback);
    let key = base;
    for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
    taken.add(key);
    return { ...item, key };
  });
}
